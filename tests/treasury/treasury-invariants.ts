import {
  bookValue,
  casinoValue,
  configProblems,
  Decimal,
  equity,
  evolveAccount,
  roundMoney,
  tradingValue,
  type TreasuryAccount,
  type TreasuryEvent,
  TreasuryEventCodec,
  canonicalJson,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';

/** An invariant that does not hold: its id (DESIGN.md) and what was seen. */
export class InvariantViolation extends Error {
  constructor(
    readonly id: string,
    detail: string,
  ) {
    super(`${id}: ${detail}`);
  }
}

const check = (id: string, ok: boolean, detail: () => string): void => {
  if (!ok) throw new InvariantViolation(id, detail());
};

const ratioDown = (peak: Decimal, value: Decimal) => (peak.lte(0) ? new Decimal(0) : peak.minus(value).div(peak));
const activeBuckets = (a: TreasuryAccount) => a.treasury.config!.buckets.map((b) => b.name);

/** Checks that depend on the state just before one event is folded, then folds it. */
export const foldChecked = (before: TreasuryAccount, event: TreasuryEvent): TreasuryAccount => {
  // G1/G5: every event survives its codec and has a canonical form without floats.
  const wire = TreasuryEventCodec.encode(event);
  canonicalJson(wire);
  const back = TreasuryEventCodec.decode(JSON.parse(JSON.stringify(wire)));
  check(
    'G1',
    E.isRight(back) && JSON.stringify(TreasuryEventCodec.encode(back.right)) === JSON.stringify(wire),
    () => `event ${event.type} does not round-trip: ${JSON.stringify(wire)}`,
  );

  const after = evolveAccount(before, event);
  const config = after.treasury.config;
  if (!config) return after;
  const t = before.treasury;

  switch (event.type) {
    case 'BetPlaced':
    case 'PositionOpened':
    case 'EscrowLocked':
      check('R1', before.risk.status === 'ACTIVE', () => `${event.type} accepted while ${before.risk.status}`);
      break;
    case 'TransferSent':
      // A stake is a new commitment (R1); a premium keeps existing cover and may leave in any status.
      if (event.purpose === 'stake')
        check(
          'R1',
          before.risk.status === 'ACTIVE',
          () => `a stake of ${event.amount.toFixed()} sent while ${before.risk.status}`,
        );
      break;
    default:
      break;
  }
  if (event.type === 'TransferSent') {
    const reserve = config.roles.reserve;
    check(
      'T2',
      event.bucket === reserve && event.amount.lte(t.buckets[reserve]!),
      () =>
        `sent ${event.amount.toFixed()} from ${event.bucket} holding ${(t.buckets[event.bucket] ?? new Decimal(0)).toFixed()}`,
    );
    const floor = roundMoney(
      bookValue(after.treasury).mul(config.buckets.find((b) => b.name === reserve)!.floor),
      'down',
    );
    check(
      'FLOOR',
      after.treasury.buckets[reserve]!.gte(floor),
      () =>
        `a ${event.purpose} of ${event.amount.toFixed()} ` +
        `left the reserve at ${after.treasury.buckets[reserve]!.toFixed()}, ` +
        `below its floor of ${floor.toFixed()}`,
    );
    check('G2', t.transfersSent[event.transferId] === undefined, () => `transfer ${event.transferId} debited twice`);
  }
  if (event.type === 'EscrowReleased')
    check('G2', t.transfersSent[event.transferId] === undefined, () => `escrow payment ${event.transferId} sent twice`);
  if (event.type === 'TransferReceived')
    check('G2', t.transfersIn[event.transferId] === undefined, () => `transfer ${event.transferId} credited twice`);
  if (event.type === 'TransferReturned') {
    const sent = t.transfersSent[event.transferId];
    check(
      'G2',
      sent !== undefined && !sent.returned,
      () => `transfer ${event.transferId} came back ${sent ? 'twice' : 'but was never sent'}`,
    );
    check(
      'T1',
      sent !== undefined && sent.amount.eq(event.amount) && sent.bucket === event.bucket,
      () =>
        `transfer ${event.transferId} came back as ${event.amount.toFixed()} into ${event.bucket}, ` +
        `sent ${sent?.amount.toFixed()} from ${sent?.bucket}`,
    );
  }
  if (event.type === 'BetPlaced') {
    const cap = roundMoney(t.buckets[config.roles.casino!]!.mul(config.betCap), 'down');
    check('R2', event.stake.lte(cap), () => `stake ${event.stake.toFixed()} above cap ${cap.toFixed()}`);
    check(
      'R2',
      config.sizing === 'lottery' || event.edge.gt(0),
      () => `a ${config.sizing} bet accepted at edge ${event.edge.toFixed()}`,
    );
    check('R7', before.risk.casinoDesk === 'open', () => 'a bet accepted while the casino is stopped');
  }
  if (event.type === 'PositionOpened') {
    const bucketValue = Object.values(t.positions).reduce(
      (n, p) => n.plus(p.margin),
      t.buckets[config.roles.trading!]!,
    );
    check('R6', event.stopLoss.gt(0), () => 'a position without a stop-loss');
    check(
      'R6',
      event.takeProfit.gte(event.stopLoss.mul(config.minRewardToRisk)),
      () =>
        `take ${event.takeProfit.toFixed()} < ${config.minRewardToRisk.toFixed()} × stop ${event.stopLoss.toFixed()}`,
    );
    check(
      'R6',
      event.size.lte(bucketValue.mul(config.maxPositionFraction)),
      () => `size ${event.size.toFixed()} above ${config.maxPositionFraction.toFixed()} of ${bucketValue.toFixed()}`,
    );
    check('R6', event.leverage <= config.maxLeverage, () => `leverage ${event.leverage} above ${config.maxLeverage}`);
    check('R6', before.risk.tradingDesk === 'open', () => 'a position opened while trading is halted');
  }
  if (event.type === 'EscrowLocked') {
    const locked = Object.values(t.escrows).reduce((n, e) => n.plus(e.amount).plus(e.fee), new Decimal(0));
    const limit = t.buckets[config.roles.reserve]!.mul(config.escrowReserveRatio);
    check(
      'T5',
      locked.plus(event.amount).plus(event.fee).lte(limit),
      () => `locked ${locked.toFixed()} + ${event.amount.toFixed()} + fee ${event.fee.toFixed()} > ${limit.toFixed()}`,
    );
  }
  if (event.type === 'Rebalanced') {
    const sum = (a: TreasuryAccount) =>
      activeBuckets(a).reduce((n, b) => n.plus(a.treasury.buckets[b]!), new Decimal(0));
    check(
      'T4',
      sum(before).eq(sum(after)),
      () => `rebalance changed the total from ${sum(before).toFixed()} to ${sum(after).toFixed()}`,
    );
    if (event.reason === 'drift' && event.skipped.length === 0) {
      const total = sum(after);
      for (const b of config.buckets) {
        // Amounts move in whole micro-units, so "within the threshold" holds to one micro-unit.
        const off = after.treasury.buckets[b.name]!.minus(total.mul(b.target)).abs();
        check(
          'T4',
          off.lte(total.mul(config.driftThreshold).plus('0.000001')),
          () => `bucket ${b.name} ends ${off.toFixed()} from its target after a rebalance that skipped nothing`,
        );
      }
    }
  }
  if (before.risk.status === 'HALTED' && after.risk.status !== 'HALTED') {
    check('R3', event.type === 'RiskResumed' && event.by === 'operator', () => `HALTED lifted by ${event.type}`);
  }
  return after;
};

/** Checks on the state after a whole decision (all its events appended). */
export const checkState = (a: TreasuryAccount): void => {
  const t = a.treasury;
  const config = t.config;
  if (!config) return;
  check('T3', configProblems(config).length === 0, () => configProblems(config).join('; '));

  const l = t.ledger;
  const expected = l.deposited
    .minus(l.withdrawn)
    .minus(l.sent)
    .plus(l.received)
    .plus(l.realizedPnl)
    .plus(l.revaluation)
    .minus(l.fees);
  check(
    'T1',
    bookValue(t).eq(expected),
    () =>
      `book ${bookValue(t).toFixed()} ≠ ` +
      `deposits − withdrawals − sent + received + P&L + revaluation − fees = ${expected.toFixed()}`,
  );
  // `sent` is net of the transfers that came back: exactly what is out with other aggregates.
  const out = Object.values(t.transfersSent).reduce((n, x) => (x.returned ? n : n.plus(x.amount)), new Decimal(0));
  check(
    'T1',
    l.sent.eq(out),
    () => `ledger sent ${l.sent.toFixed()} ≠ transfers out and not returned ${out.toFixed()}`,
  );

  for (const [name, v] of Object.entries(t.buckets)) check('T2', v.gte(0), () => `bucket ${name} is ${v.toFixed()}`);
  for (const [id, e] of Object.entries(t.escrows))
    check('T2', e.amount.gte(0) && e.fee.gte(0), () => `escrow ${id} lock is negative`);
  for (const [id, b] of Object.entries(t.bets))
    check('T2', b.stake.gt(0), () => `bet ${id} stake is ${b.stake.toFixed()}`);
  for (const [id, p] of Object.entries(t.positions))
    check('T2', p.margin.gte(0), () => `position ${id} margin is ${p.margin.toFixed()}`);

  const eq = equity(t);
  if (a.risk.status !== 'HALTED') {
    check(
      'R5',
      !ratioDown(a.risk.peak, eq).gt(config.maxDrawdown),
      () => `drawdown ${ratioDown(a.risk.peak, eq).toFixed(4)} from peak ${a.risk.peak.toFixed()} without a halt`,
    );
  }
  if (a.risk.status === 'ACTIVE') {
    check(
      'R4',
      !ratioDown(a.risk.dayStart.equity, eq).gt(config.maxDailyLoss),
      () => `daily loss ${ratioDown(a.risk.dayStart.equity, eq).toFixed(4)} while ACTIVE`,
    );
  }
  if (a.risk.tradingDesk === 'open') {
    check(
      'R6',
      !ratioDown(a.risk.tradingPeak, tradingValue(t)).gt(config.tradingMaxDrawdown),
      () => `trading drawdown ${ratioDown(a.risk.tradingPeak, tradingValue(t)).toFixed(4)} with trading open`,
    );
  } else {
    check('R6', Object.keys(t.positions).length === 0, () => 'positions open while trading is halted');
  }
  const session = t.session;
  if (session) {
    const loss = ratioDown(session.startBankroll, casinoValue(t));
    check('R7', loss.lt(config.casinoSessionStop), () => `casino session down ${loss.toFixed(4)} and still open`);
  }
};
