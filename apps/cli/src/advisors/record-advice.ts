import {
  type Advice,
  type Advisor,
  type AdvisorInput,
  defaultMarketPolicy,
  Decimal,
  type MarketSnapshot,
  RatioFromString,
  TargetCodec,
  type TreasuryAccount,
} from '@ballast/domain';
import type { Ballast } from '@ballast/engine';
import * as E from 'fp-ts/Either';

type Context = Parameters<Ballast['treasuries']['execute']>[2];
type Events = readonly { readonly type: string; readonly at: number }[];

/**
 * What asking an advisor came to, as data:
 * - `recorded`: the advice is on the record (AdviceRecorded);
 * - `refused`: the treasury refused it (ADVICE_OUT_OF_BOUNDS, recorded as CommandRejected;
 *   ADVICE_STALE or INVALID_INPUT, not recorded), with what it broke;
 * - `silent`: the advisor had nothing to say (a stale reading);
 * - `failed`: the advisor threw or timed out: nothing is recorded and the rules' signal stands.
 */
export type AdviceOutcome =
  | { readonly outcome: 'recorded'; readonly advisor: string; readonly advice: Advice; readonly events: Events }
  | {
      readonly outcome: 'refused';
      readonly advisor: string;
      readonly advice: Advice;
      readonly code: string;
      readonly message: string;
      /** What the refusal left on the record (a CommandRejected for advice outside the risk rules). */
      readonly recorded: Events;
    }
  | { readonly outcome: 'silent'; readonly advisor: string }
  | { readonly outcome: 'failed'; readonly advisor: string; readonly code: string; readonly message: string };

/**
 * What an advisor is shown for a reading: the treasury's market policy and the phase the last signal
 * found, from the treasury as it was before the reading was recorded (after it, the phase is the
 * rules' verdict on this very reading).
 */
export const advisorInputFor = (before: TreasuryAccount, snapshot: MarketSnapshot, now: number): AdvisorInput => {
  const m = before.treasury.market;
  return {
    snapshot,
    now,
    policy: before.treasury.config?.market ?? defaultMarketPolicy(),
    previous: m?.lastPhase === undefined ? undefined : { phase: m.lastPhase, peakSell: m.peakSell ?? new Decimal(0) },
  };
};

/**
 * Asks `advisor` about `input` and sends its advice to the treasury as RecordAdvice, on the reading
 * it was about. Never throws for the advisor's sake: an advisor that fails records nothing. An error
 * of the store or the engine is not the advisor's and propagates.
 */
export const adviseAndRecord = async (
  ballast: Ballast,
  treasuryId: string,
  advisor: Advisor,
  input: AdvisorInput,
  context: Context,
): Promise<AdviceOutcome> => {
  let advice: Advice | undefined;
  try {
    advice = await advisor.advise(input);
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    return {
      outcome: 'failed',
      advisor: advisor.name,
      code: typeof e.code === 'string' ? e.code : 'ADVISOR_FAILED',
      message: typeof e.message === 'string' ? e.message : String(error),
    };
  }
  if (advice === undefined) return { outcome: 'silent', advisor: advisor.name };
  const result = await ballast.treasuries.execute(
    treasuryId,
    {
      type: 'RecordAdvice',
      advisor: advisor.name,
      observedAt: input.snapshot.observedAt,
      target: TargetCodec.encode(advice.target),
      confidence: RatioFromString.encode(advice.confidence),
      reasons: [...advice.reasons],
    },
    context,
  );
  if (E.isRight(result)) return { outcome: 'recorded', advisor: advisor.name, advice, events: result.right.events };
  const refusal = result.left;
  return {
    outcome: 'refused',
    advisor: advisor.name,
    advice,
    code: refusal.code,
    message: refusal.message,
    recorded: 'recorded' in refusal ? (refusal.recorded as Events) : [],
  };
};
