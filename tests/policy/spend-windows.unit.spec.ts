import { checkBudget, Decimal, money, type Spend, spentIn, type SpendWindow } from '@ballast/domain';
import fc from 'fast-check';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 31, 20);

const windowArb: fc.Arbitrary<SpendWindow> = fc.oneof(
  fc.constantFrom(HOUR, DAY, 7 * DAY).map((ms) => ({ kind: 'rolling' as const, ms })),
  fc.constantFrom('day' as const, 'month' as const).map((unit) => ({ kind: 'calendar' as const, unit })),
);
/** Whole cents up to 1,000: amounts that often fit and often do not. */
const amountArb = fc.integer({ min: 1, max: 100_000 }).map((cents) => new Decimal(cents).div(100));
/** Attempts in event-time order: each a gap after the one before and an amount. */
const attemptsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 * HOUR }), amountArb), {
  minLength: 1,
  maxLength: 60,
});

/** Records each attempt the budget lets through, as a decider would; the times of every attempt. */
const run = (window: SpendWindow, limit: Decimal, attempts: readonly [number, Decimal][]) => {
  const spends: Spend[] = [];
  const times: number[] = [];
  let at = T0;
  for (const [gap, amount] of attempts) {
    at += gap;
    times.push(at);
    if (checkBudget(spends, window, limit, amount, at).ok) spends.push({ at, amount });
  }
  return { spends, times };
};

describe('spend windows (issue 15: budgets per window, in event time)', () => {
  it('BUDGET: no window ever holds more than its limit, at any time, whatever is attempted', () => {
    fc.assert(
      fc.property(
        windowArb,
        amountArb,
        attemptsArb,
        fc.array(fc.integer({ min: 0, max: 10 * DAY })),
        (w, limit, attempts, probes) => {
          const { spends, times } = run(w, limit, attempts);
          for (const t of [...times, ...probes.map((p) => T0 + p)]) expect(spentIn(spends, w, t).lte(limit)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('BUDGET-FREES: a refusal says the first time the amount fits, and it does fit then (not a moment earlier)', () => {
    fc.assert(
      fc.property(windowArb, amountArb, attemptsArb, amountArb, (w, limit, attempts, amount) => {
        const { spends, times } = run(w, limit, attempts);
        const at = times.at(-1)!;
        const check = checkBudget(spends, w, limit, amount, at);
        if (check.ok) return;
        if (check.freesAt === undefined) {
          expect(amount.gt(limit)).toBe(true);
          return;
        }
        expect(check.freesAt).toBeGreaterThan(at);
        expect(checkBudget(spends, w, limit, amount, check.freesAt).ok).toBe(true);
        if (check.freesAt - 1 > at) expect(checkBudget(spends, w, limit, amount, check.freesAt - 1).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a rolling day lets a spend go exactly 24 h after it was made', () => {
    const w: SpendWindow = { kind: 'rolling', ms: DAY };
    const spends = [{ at: T0, amount: money('80') }];
    expect(checkBudget(spends, w, money('100'), money('30'), T0 + HOUR)).toMatchObject({
      ok: false,
      freesAt: T0 + DAY,
    });
    expect(checkBudget(spends, w, money('100'), money('30'), T0 + DAY).ok).toBe(true);
    expect(checkBudget(spends, w, money('100'), money('101'), T0)).toMatchObject({ ok: false, freesAt: undefined });
  });

  it('a calendar month empties at the first instant of the next month, UTC', () => {
    const w: SpendWindow = { kind: 'calendar', unit: 'month' };
    const lastMinuteOfJanuary = Date.UTC(2026, 0, 31, 23, 59);
    const spends = [{ at: lastMinuteOfJanuary, amount: money('90') }];
    const refused = checkBudget(spends, w, money('100'), money('20'), lastMinuteOfJanuary);
    expect(refused).toMatchObject({ ok: false, freesAt: Date.UTC(2026, 1, 1) });
    expect(spentIn(spends, w, Date.UTC(2026, 1, 1)).toFixed()).toBe('0');
    expect(spentIn(spends, w, Date.UTC(2026, 1, 1) - 1).toFixed()).toBe('90');
  });
});
