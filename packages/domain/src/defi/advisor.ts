import type { Decimal } from '../money';
import type { MarketPolicy } from './market-policy';
import { type MarketMemory, marketSignal, type TargetAllocation } from './market-signal';
import type { MarketSnapshot } from './market-snapshot';

/** What an advisor is shown: the last reading, what the last signal left, and the treasury's market policy. */
export interface AdvisorInput {
  readonly snapshot: MarketSnapshot;
  readonly previous: MarketMemory | undefined;
  readonly policy: MarketPolicy;
  readonly now: number;
}

/** What an advisor answers: a target, how sure it is, and why, in words. */
export interface Advice {
  readonly target: TargetAllocation;
  readonly confidence: Decimal;
  readonly reasons: readonly string[];
}

/**
 * The advisor port. The rules are the default advisor (and what RecordMarket records by itself);
 * any other (a language model, a desk) answers through the same interface, off by default, and its
 * advice goes to the treasury as RecordAdvice, recorded with its inputs and judged by the risk rules.
 * Asynchronous because a remote advisor is; undefined when it has nothing to say (a stale reading).
 */
export interface Advisor {
  readonly name: string;
  advise(input: AdvisorInput): Promise<Advice | undefined>;
}

export const rulesAdvisor: Advisor = {
  name: 'rules',
  advise: async ({ snapshot, previous, policy, now }) => {
    const out = marketSignal(policy, snapshot, now, previous);
    return out.ok
      ? { target: out.signal.target, confidence: out.signal.confidence, reasons: out.signal.reasons }
      : undefined;
  },
};
