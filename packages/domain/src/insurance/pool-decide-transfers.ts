import * as E from 'fp-ts/Either';
import type { ActorId } from '../ids';
import { partyName } from '../transfers/transfer-codecs';
import type { PoolCommandOf } from './pool-commands';
import type { PoolDecision } from './pool-decide-members';
import { poolReject } from './pool-rejections';
import type { PoolState } from './pool-state';

/** The admission (agent id and its pending stake) waiting for this transfer, if any. */
const pendingJoinOf = (s: PoolState, transferId: string) =>
  Object.entries(s.pendingJoins).find(([, j]) => j.transferId === transferId);

/**
 * The credit leg of a stake or premium the pool asked for. Anything else (no such pending
 * request, another amount, another payer) is refused on the record, so the payer takes its money
 * back; a transfer already credited or refused here is a no-op.
 */
export const decideReceiveTransfer = (c: PoolCommandOf<'ReceiveTransfer'>, s: PoolState): PoolDecision => {
  if (s.transfersSettled.has(c.transferId)) return E.right([]);
  const join = pendingJoinOf(s, c.transferId);
  const premium = s.pendingPremiums[c.transferId];
  const payer = join?.[0] ?? premium?.agentId;
  const expected = join?.[1].stake ?? premium?.amount;
  if (
    payer !== undefined &&
    expected !== undefined &&
    (!expected.eq(c.amount) || c.from.kind !== 'treasury' || c.from.id !== payer)
  ) {
    // The id is waiting for its real credit: a wrong one is refused without a record, so it settles nothing.
    return E.left(
      poolReject(
        'TRANSFER_NOT_EXPECTED',
        `transfer ${c.transferId} expects ${expected.toFixed()} from treasury:${payer}, ` +
          `not ${c.amount.toFixed()} from ${partyName(c.from)}`,
        { transferId: c.transferId, amount: c.amount, expected },
      ),
    );
  }
  if (payer === undefined || expected === undefined) {
    const reason = 'no admission or premium is waiting for it';
    return E.left({
      ...poolReject(
        'TRANSFER_NOT_EXPECTED',
        `transfer ${c.transferId} of ${c.amount.toFixed()} from ${partyName(c.from)}: ${reason}; it goes back`,
        { transferId: c.transferId, amount: c.amount },
      ),
      recorded: [
        {
          type: 'TransferRefused',
          at: c.at,
          transferId: c.transferId,
          from: c.from,
          amount: c.amount,
          code: 'TRANSFER_NOT_EXPECTED',
        },
      ],
    });
  }
  if (join) {
    const [agentId, j] = join;
    // Keys of pendingJoins are the agent ids the admission was decided for.
    return E.right([
      {
        type: 'MemberJoined',
        at: c.at,
        agentId: agentId as ActorId,
        stake: j.stake,
        requestedCoverage: j.requestedCoverage,
        coverage: j.coverage,
        riskScore: j.riskScore,
        premium: j.premium,
        transferId: c.transferId,
      },
    ]);
  }
  return E.right([
    {
      type: 'PremiumCollected',
      at: c.at,
      agentId: premium!.agentId,
      period: premium!.period,
      amount: premium!.amount,
      surcharged: premium!.surcharged,
      transferId: c.transferId,
    },
  ]);
};

/**
 * The payer refused the debit: the admission is void, or the member's cover lapses (visibly, with the payer's code).
 */
export const decideCancelTransfer = (c: PoolCommandOf<'CancelTransfer'>, s: PoolState): PoolDecision => {
  if (s.transfersSettled.has(c.transferId)) return E.right([]);
  const join = pendingJoinOf(s, c.transferId);
  if (join)
    return E.right([
      { type: 'JoinCancelled', at: c.at, agentId: join[0] as ActorId, transferId: c.transferId, code: c.code },
    ]);
  const premium = s.pendingPremiums[c.transferId];
  if (premium)
    return E.right([
      {
        type: 'CoverageLapsed',
        at: c.at,
        agentId: premium.agentId,
        period: premium.period,
        transferId: c.transferId,
        code: c.code,
      },
    ]);
  return E.left(
    poolReject('UNKNOWN_TRANSFER', `no admission or premium is waiting for transfer ${c.transferId}`, {
      transferId: c.transferId,
    }),
  );
};

/** A payout or stake return the payee refused comes back to the reserve, once. */
export const decideReturnTransfer = (c: PoolCommandOf<'ReturnTransfer'>, s: PoolState): PoolDecision => {
  const sent = s.transfersSent[c.transferId];
  if (!sent)
    return E.left(
      poolReject('UNKNOWN_TRANSFER', `this pool sent no transfer ${c.transferId}`, { transferId: c.transferId }),
    );
  if (sent.returned) return E.right([]);
  return E.right([{ type: 'TransferReturned', at: c.at, transferId: c.transferId, amount: sent.amount, code: c.code }]);
};
