import { defiPreset, Decimal, equity, TreasuryConfigCodec } from '@ballast/domain';
import { auditStore, openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const RUNS = Number(process.env.BALLAST_SWAP_RUNS ?? 25);
const config = { ...TreasuryConfigCodec.encode(defiPreset()), policy: {} };

type Step =
  | { readonly kind: 'market'; readonly btc: number; readonly eth: number }
  | {
      readonly kind: 'buy' | 'sell';
      readonly asset: 'BTC' | 'ETH';
      readonly usd: number;
      readonly slipBps: number;
      readonly gas: number;
    };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('market' as const),
    btc: fc.integer({ min: 20_000, max: 200_000 }),
    eth: fc.integer({ min: 800, max: 8_000 }),
  }),
  fc.record({
    kind: fc.constantFrom('buy' as const, 'sell' as const),
    asset: fc.constantFrom('BTC' as const, 'ETH' as const),
    usd: fc.integer({ min: 10, max: 60_000 }),
    slipBps: fc.integer({ min: -20, max: 60 }),
    gas: fc.integer({ min: 0, max: 20 }),
  }),
);

/**
 * SWAP-VALUE, CAPS and G6 on swaps, through the engine: after every accepted swap the treasury's
 * value changed by exactly minus its gas and its slippage at the reading's prices (nothing made or
 * lost otherwise), a purchase leaves volatile assets within 40% and each within 25% of the value,
 * and the whole store audits (the holdings account at cost balances the ledger).
 */
describe(`swaps through the engine (${RUNS} histories; BALLAST_SWAP_RUNS for more)`, () => {
  it('SWAP-VALUE, CAPS and G6 hold after every step', async () => {
    let swapped = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const store = openMemoryStore();
        let now = T0;
        const ballast = openBallast({ store, clock: { now: () => (now += 60_000) } });
        let id = 0;
        const send = (command: Record<string, unknown>) =>
          ballast.treasuries.execute('d', command as never, { commandId: `c${++id}` });
        await send({ type: 'OpenTreasury', config });
        await send({ type: 'Deposit', amount: '400000' });
        const prices = { BTC: 100_000, ETH: 4_000 };
        const reading = () => ({
          type: 'RecordMarket',
          snapshot: {
            observedAt: now + 1,
            btcPrice: String(prices.BTC),
            ethPrice: String(prices.ETH),
            mvrvZ: '2',
            fundingRate: '0',
            fearGreed: '50',
            source: 'property',
          },
        });
        now += HOUR;
        await send(reading());
        for (const s of steps) {
          if (s.kind === 'market') {
            prices.BTC = s.btc;
            prices.ETH = s.eth;
            now += HOUR;
            expect(E.isRight(await send(reading()))).toBe(true);
            continue;
          }
          const before = (await ballast.treasuries.load('d')).state;
          const price = new Decimal(prices[s.asset]);
          const held = before.treasury.holdings?.[s.asset]?.quantity ?? new Decimal(0);
          const quantity = new Decimal(s.usd).div(price).toDecimalPlaces(8, Decimal.ROUND_DOWN);
          const sellQty = Decimal.min(quantity, held);
          if (s.kind === 'sell' && sellQty.isZero()) continue;
          const fillFactor = new Decimal(1).minus(new Decimal(s.slipBps).div(10_000));
          const command =
            s.kind === 'buy'
              ? {
                  sell: 'USDC',
                  buy: s.asset,
                  amount: String(s.usd),
                  filled: quantity.mul(fillFactor).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(),
                }
              : {
                  sell: s.asset,
                  buy: 'USDC',
                  amount: sellQty.toFixed(),
                  filled: sellQty.mul(price).mul(fillFactor).toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed(),
                };
          const result = await send({
            type: 'Swap',
            swapId: `s${id}`,
            gasGwei: '20',
            gasFee: String(s.gas),
            ...command,
          });
          if (E.isLeft(result)) continue;
          const swappedEvent = result.right.events.find((e) => e.type === 'Swapped');
          if (swappedEvent === undefined) continue;
          swapped += 1;
          const after = (await ballast.treasuries.load('d')).state;
          // Value in USD at the reading: what was given up against what came in, less gas.
          const given = command.sell === 'USDC' ? new Decimal(command.amount) : new Decimal(command.amount).mul(price);
          const got = command.buy === 'USDC' ? new Decimal(command.filled) : new Decimal(command.filled).mul(price);
          const expected = equity(before.treasury).minus(s.gas).minus(given.minus(got));
          // Holdings are valued rounded down to the cent's 6 decimals: at most one unit per asset apart.
          expect(equity(after.treasury).minus(expected).abs().lte('0.000002')).toBe(true);
          if (s.kind === 'buy') {
            const total = equity(after.treasury);
            const value = (a: 'BTC' | 'ETH') =>
              (after.treasury.holdings?.[a]?.quantity ?? new Decimal(0)).mul(prices[a]);
            expect(value('BTC').plus(value('ETH')).lte(total.mul('0.4'))).toBe(true);
            expect(value(s.asset).lte(total.mul('0.25'))).toBe(true);
          }
        }
        const audit = await auditStore(store);
        await store.close();
        if (!audit.ok) throw new Error(`audit: ${JSON.stringify(audit.problem)}`);
      }),
      { numRuns: RUNS, seed: 20261127 },
    );
    expect(swapped).toBeGreaterThan(0);
    if (process.env.BALLAST_SWAP_REPORT) console.log({ swapped });
  }, 300_000);
});
