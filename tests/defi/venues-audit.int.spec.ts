import { Decimal, defiPreset, equity, TreasuryConfigCodec, type TreasuryEvent } from '@ballast/domain';
import { auditStore, openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';

const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const RUNS = Number(process.env.BALLAST_VENUE_RUNS ?? 25);
const config = { ...TreasuryConfigCodec.encode(defiPreset()), policy: {} };
const VENUES = {
  aave: { kind: 'lending' },
  curve: { kind: 'liquidity-pool', exitFee: '0.0004' },
  pendle: { kind: 'fixed-term' },
} as const;
type VenueName = keyof typeof VENUES;

type Step =
  | { readonly kind: 'deposit'; readonly venue: VenueName; readonly usd: number; readonly apyBps: number }
  | { readonly kind: 'withdraw'; readonly venue: VenueName; readonly part: number }
  | { readonly kind: 'rate'; readonly venue: VenueName; readonly apyBps: number }
  | { readonly kind: 'accrue' | 'rebalance' }
  | { readonly kind: 'wait'; readonly days: number };

const venue = fc.constantFrom<VenueName>('aave', 'curve', 'pendle');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('deposit' as const),
    venue,
    usd: fc.integer({ min: 1, max: 150_000 }),
    apyBps: fc.integer({ min: 0, max: 2_000 }),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), venue, part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant('rate' as const), venue, apyBps: fc.integer({ min: 0, max: 2_000 }) }),
  fc.record({ kind: fc.constantFrom('accrue' as const, 'rebalance' as const) }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 120 }) }),
);

/**
 * VENUE-VALUE and G6 with yield venues, through the engine: every accepted step changes the
 * treasury's value by exactly the yield it recorded less the exit fees it recorded (a deposit or a
 * withdrawal moves money, it makes none), the venues never hold more than the reserve bucket, and
 * the whole store audits: the venues' ledger accounts and the bucket's idle rest balance the books.
 */
describe(`yield venues through the engine (${RUNS} histories; BALLAST_VENUE_RUNS for more)`, () => {
  it('VENUE-VALUE, deployed ≤ reserve and G6 hold after every step', async () => {
    let accrued = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const store = openMemoryStore();
        let now = T0;
        const ballast = openBallast({ store, clock: { now: () => now } });
        let id = 0;
        const send = (command: Record<string, unknown>) =>
          ballast.treasuries.execute('v', command as never, { commandId: `c${++id}` });
        await send({ type: 'OpenTreasury', config });
        await send({ type: 'Deposit', amount: '400000' });
        for (const s of steps) {
          now += 60_000;
          if (s.kind === 'wait') {
            now += s.days * DAY;
            continue;
          }
          const before = (await ballast.treasuries.load('v')).state.treasury;
          const held = 'venue' in s ? before.venues?.[s.venue] : undefined;
          const command =
            s.kind === 'deposit'
              ? {
                  type: 'DepositToVenue',
                  venueId: s.venue,
                  amount: String(s.usd),
                  apy: new Decimal(s.apyBps).div(10_000).toFixed(),
                  ...VENUES[s.venue],
                  ...(s.venue === 'pendle' ? { maturesAt: now + 60 * DAY } : {}),
                }
              : s.kind === 'withdraw'
                ? {
                    type: 'WithdrawFromVenue',
                    venueId: s.venue,
                    ...(s.part === 100 || held === undefined
                      ? {}
                      : { amount: held.value.mul(s.part).div(100).toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed() }),
                  }
                : s.kind === 'rate'
                  ? { type: 'RecordVenueRate', venueId: s.venue, apy: new Decimal(s.apyBps).div(10_000).toFixed() }
                  : { type: s.kind === 'accrue' ? 'AccrueYield' : 'Rebalance' };
          const result = await send(command);
          if (E.isLeft(result)) continue;
          const after = (await ballast.treasuries.load('v')).state.treasury;
          let earned = new Decimal(0);
          let fees = new Decimal(0);
          for (const e of result.right.events as readonly TreasuryEvent[]) {
            if (e.type === 'YieldAccrued') earned = earned.plus(e.amount);
            if (e.type === 'VenueWithdrawn') fees = fees.plus(e.fee);
          }
          if (earned.gt(0)) accrued += 1;
          expect(equity(after).toFixed()).toBe(equity(before).plus(earned).minus(fees).toFixed());
          let deployed = new Decimal(0);
          for (const v of Object.values(after.venues ?? {})) deployed = deployed.plus(v.value);
          expect(deployed.lte(after.buckets.baseYield!)).toBe(true);
        }
        const audit = await auditStore(store);
        await store.close();
        if (!audit.ok) throw new Error(`audit: ${JSON.stringify(audit.problem)}`);
      }),
      { numRuns: RUNS, seed: 20261127 },
    );
    expect(accrued).toBeGreaterThan(0);
  }, 300_000);
});
