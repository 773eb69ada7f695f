import * as E from 'fp-ts/Either';
import { Decimal, type Money, roundMoney } from '../money';
import type { Instant } from '../instant';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import { type BucketName, configProblems } from './config';
import type { TreasuryEvent } from './events';
import { planRebalance } from './rebalance-plan';
import { heldInBuckets } from './valuation';
import { reject } from './rejections';
import { bucketOf, requireConfig, type TreasuryState } from './state';
import { bookValue } from './valuation';

const knownBucket = (s: TreasuryState, bucket: string): E.Either<ReturnType<typeof reject>, string> =>
  s.config!.buckets.some((b) => b.name === bucket)
    ? E.right(bucket)
    : E.left(
        reject('UNKNOWN_BUCKET', `no bucket named ${bucket}`, {
          bucket,
          known: s.config!.buckets.map((b) => b.name).join(','),
        }),
      );

/** The least a bucket may hold when the treasury's book value is `total` (floors are fractions). */
const floorAmount = (s: TreasuryState, bucket: string, total: Money): Money =>
  roundMoney(total.mul(s.config!.buckets.find((b) => b.name === bucket)!.floor), 'down');

export const decideOpen = (c: CommandOf<'OpenTreasury'>, a: TreasuryAccount): Decision => {
  if (a.treasury.opened) return E.left(reject('ALREADY_OPENED', 'this treasury is already open'));
  const problems = configProblems(c.config);
  if (problems.length > 0)
    return E.left(reject('CONFIG_INVALID', `T3: ${problems.join('; ')}`, { problems: problems.join('; ') }));
  return accept({ type: 'TreasuryOpened', at: c.at, config: c.config });
};

export const decideDeposit = (c: CommandOf<'Deposit'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  if (c.bucket !== undefined) {
    return E.map((bucket: string) => [
      { type: 'FundsDeposited', at: c.at, bucket: bucket as BucketName, amount: c.amount } as TreasuryEvent,
    ])(knownBucket(s, c.bucket));
  }
  // Split by target; each share rounds down and the remainder goes to the reserve.
  let rest = c.amount;
  const events: TreasuryEvent[] = [];
  for (const b of config.buckets) {
    if (b.name === config.roles.reserve) continue;
    const share = roundMoney(c.amount.mul(b.target), 'down');
    rest = rest.minus(share);
    if (share.gt(0)) events.push({ type: 'FundsDeposited', at: c.at, bucket: b.name, amount: share });
  }
  if (rest.gt(0)) events.unshift({ type: 'FundsDeposited', at: c.at, bucket: config.roles.reserve, amount: rest });
  return accept(...events);
};

export const decideWithdraw = (c: CommandOf<'Withdraw'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  return E.chain((bucket: string): Decision => {
    const balance = bucketOf(s, bucket);
    if (c.amount.gt(balance))
      return E.left(
        reject('INSUFFICIENT_FUNDS', `bucket ${bucket} holds ${balance.toFixed()}, less than ${c.amount.toFixed()}`, {
          bucket,
          balance,
          amount: c.amount,
        }),
      );
    const total = bookValue(s).minus(c.amount);
    const floor = floorAmount(s, bucket, total);
    if (balance.minus(c.amount).lt(floor)) {
      return E.left(
        reject(
          'FLOOR_BREACH',
          `withdrawing ${c.amount.toFixed()} would leave ${bucket} below its floor of ${floor.toFixed()}`,
          { bucket, balance, amount: c.amount, floor },
        ),
      );
    }
    return accept({
      type: 'FundsWithdrawn',
      at: c.at,
      bucket: bucket as BucketName,
      amount: c.amount,
      ...(c.to === undefined ? {} : { to: c.to }),
    });
  })(knownBucket(s, c.bucket));
};

export const decideTransfer = (c: CommandOf<'Transfer'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  if (c.from === c.to)
    return E.left(reject('SAME_BUCKET', `cannot transfer from ${c.from} to itself`, { bucket: c.from }));
  return E.chain((): Decision => {
    const balance = bucketOf(s, c.from);
    if (c.amount.gt(balance))
      return E.left(
        reject('INSUFFICIENT_FUNDS', `bucket ${c.from} holds ${balance.toFixed()}, less than ${c.amount.toFixed()}`, {
          bucket: c.from,
          balance,
          amount: c.amount,
        }),
      );
    const floor = floorAmount(s, c.from, bookValue(s));
    if (balance.minus(c.amount).lt(floor)) {
      return E.left(
        reject(
          'FLOOR_BREACH',
          `moving ${c.amount.toFixed()} would leave ${c.from} below its floor of ${floor.toFixed()}`,
          { bucket: c.from, balance, amount: c.amount, floor },
        ),
      );
    }
    return accept({ type: 'FundsTransferred', at: c.at, from: c.from, to: c.to, amount: c.amount, reason: 'manual' });
  })(E.chain(() => knownBucket(s, c.to))(knownBucket(s, c.from)));
};

export const decideValuation = (c: CommandOf<'RecordValuation'>, a: TreasuryAccount): Decision =>
  E.map((bucket: string): readonly TreasuryEvent[] => {
    const from = bucketOf(a.treasury, bucket);
    return from.eq(c.value)
      ? []
      : [{ type: 'BucketRevalued', at: c.at, bucket: bucket as BucketName, from, to: c.value }];
  })(knownBucket(a.treasury, c.bucket));

export const rebalanceEvent = (s: TreasuryState, at: Instant): E.Either<ReturnType<typeof reject>, TreasuryEvent> => {
  const config = requireConfig(s);
  const plan = planRebalance({
    balances: s.buckets,
    buckets: config.buckets,
    reserve: config.roles.reserve,
    driftThreshold: config.driftThreshold,
    minMove: config.minMove,
    held: heldInBuckets(s),
  });
  if (!plan.needed) {
    const maxDrift = Object.values(plan.drift).reduce((m, d) => Decimal.max(m, d.abs()), new Decimal(0));
    return E.left(
      reject('REBALANCE_NOT_NEEDED', `every bucket is within ${config.driftThreshold.toFixed()} of its target`, {
        maxDrift,
        threshold: config.driftThreshold,
      }),
    );
  }
  return E.right({
    type: 'Rebalanced',
    at,
    reason: 'drift',
    total: plan.total,
    drift: plan.drift,
    transfers: [...plan.transfers],
    skipped: [...plan.skipped],
  });
};

export const decideRebalance = (c: CommandOf<'Rebalance'>, a: TreasuryAccount): Decision =>
  E.map((e: TreasuryEvent) => [e])(rebalanceEvent(a.treasury, c.at));

export const decideReferralIncome = (c: CommandOf<'RecordReferralIncome'>, a: TreasuryAccount): Decision =>
  requireConfig(a.treasury).roles.referral === undefined
    ? E.left(reject('NO_REFERRAL_BUCKET', 'this treasury has no referral bucket'))
    : accept({ type: 'ReferralIncomeReceived', at: c.at, service: c.service, amount: c.amount });

export const decideReinvest = (c: CommandOf<'ReinvestReferrals'>, a: TreasuryAccount): Decision => {
  const config = requireConfig(a.treasury);
  if (config.roles.referral === undefined)
    return E.left(reject('NO_REFERRAL_BUCKET', 'this treasury has no referral bucket'));
  const balance = bucketOf(a.treasury, config.roles.referral);
  if (balance.lt(config.referralMinimum) || balance.isZero()) {
    return E.left(
      reject(
        'REFERRAL_BELOW_MINIMUM',
        `the referral bucket holds ${balance.toFixed()}, below the ${config.referralMinimum.toFixed()} minimum to reinvest`,
        { balance, minimum: config.referralMinimum },
      ),
    );
  }
  const toReserve =
    config.roles.trading === undefined ? balance : roundMoney(balance.mul(config.referralToReserve), 'down');
  return accept({ type: 'ReferralsReinvested', at: c.at, toReserve, toTrading: balance.minus(toReserve) });
};
