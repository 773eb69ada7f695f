import * as E from 'fp-ts/Either';
import { defaultMarketPolicy } from '../defi/market-policy';
import { marketSignal } from '../defi/market-signal';
import { Decimal } from '../money';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { reject, rejectAndRecord } from './rejections';

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

/**
 * The advisor port: advice from outside (a language model, a person) on the last reading, recorded
 * as it came when it keeps the risk rules (targets summing to 1, base yield at the policy's share,
 * volatile and each asset within their caps), refused with what it broke otherwise. Advice on an
 * older reading is refused: it was about a market that is no longer the last one seen.
 */
export const decideRecordAdvice = (c: CommandOf<'RecordAdvice'>, a: TreasuryAccount): Decision => {
  const last = a.treasury.market?.lastObservedAt;
  if (last === undefined || c.observedAt !== last)
    return E.left(
      reject('ADVICE_STALE', 'advice must be on the last recorded reading', {
        observedAt: c.observedAt,
        lastObservedAt: last ?? 'none',
      }),
    );
  const policy = a.treasury.config?.market ?? defaultMarketPolicy();
  const t = c.target;
  const problems: string[] = [];
  const sum = t.baseYield.plus(t.BTC).plus(t.ETH).plus(t.USDC);
  if (!sum.eq(1)) problems.push(`targets sum to ${sum.toFixed()}, not 1`);
  if (!t.baseYield.eq(policy.baseYield))
    problems.push(`base yield ${t.baseYield.toFixed()} is not the policy's ${policy.baseYield.toFixed()}`);
  if (t.BTC.plus(t.ETH).gt(policy.volatileCap))
    problems.push(`volatile ${t.BTC.plus(t.ETH).toFixed()} is above the cap of ${policy.volatileCap.toFixed()}`);
  for (const asset of ['BTC', 'ETH'] as const)
    if (t[asset].gt(policy.positionCap))
      problems.push(`${asset} ${t[asset].toFixed()} is above the cap of ${policy.positionCap.toFixed()}`);
  if (problems.length > 0)
    return E.left(
      rejectAndRecord(
        'ADVICE_OUT_OF_BOUNDS',
        `advice from ${c.advisor} breaks the risk rules: ${problems.join('; ')}`,
        {
          advisor: c.advisor,
          problems: problems.join('; '),
        },
        c,
        `advice:${c.advisor}`,
      ),
    );
  return accept({
    type: 'AdviceRecorded',
    at: c.at,
    advisor: c.advisor,
    observedAt: c.observedAt,
    target: c.target,
    confidence: c.confidence,
    reasons: c.reasons,
  });
};
