import * as E from 'fp-ts/Either';
import { defaultMarketPolicy } from '../defi/market-policy';
import { marketSignal } from '../defi/market-signal';
import { Decimal } from '../money';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { reject } from './rejections';

/**
 * A market reading: recorded with the signal the rule-based advisor (seed 002's thresholds, or the
 * treasury's own `market` policy) gives for it, so an auditor sees every input and every reason.
 * A reading from the future or not newer than the last one is refused; a stale one is recorded
 * with no signal.
 */
export const decideRecordMarket = (c: CommandOf<'RecordMarket'>, a: TreasuryAccount): Decision => {
  const s = c.snapshot;
  if (s.observedAt > c.at)
    return E.left(
      reject('MARKET_DATA_INVALID', `the reading is from ${new Date(s.observedAt).toISOString()}, after now`, {
        observedAt: s.observedAt,
        at: c.at,
      }),
    );
  const last = a.treasury.market?.lastObservedAt;
  if (last !== undefined && s.observedAt <= last)
    return E.left(
      reject(
        'MARKET_OUT_OF_ORDER',
        `the reading from ${new Date(s.observedAt).toISOString()} is not newer than the last one ` +
          `(${new Date(last).toISOString()})`,
        { observedAt: s.observedAt, lastObservedAt: last },
      ),
    );
  const observed: TreasuryEvent = { type: 'MarketObserved', at: c.at, snapshot: s };
  const policy = a.treasury.config?.market ?? defaultMarketPolicy();
  const m = a.treasury.market;
  const memory =
    m?.lastPhase === undefined ? undefined : { phase: m.lastPhase, peakSell: m.peakSell ?? new Decimal(0) };
  const out = marketSignal(policy, s, c.at, memory);
  if (!out.ok)
    return accept(observed, {
      type: 'SignalSkipped',
      at: c.at,
      reason: out.reason,
      ageMs: out.ageMs,
      message: out.message,
    });
  const { phase, mode, sell, target, confidence, reasons } = out.signal;
  return accept(observed, {
    type: 'SignalIssued',
    at: c.at,
    advisor: 'rules',
    phase,
    mode,
    sell,
    target,
    confidence,
    reasons: [...reasons],
  });
};
