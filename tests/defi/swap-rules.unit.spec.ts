import { checkSwap, Decimal } from '@ballast/domain';
import fc from 'fast-check';

const d = (s: string | number) => new Decimal(s);
// 1 ETH at 3,500 USD into USDC at 1 USD: the quote is 3,500 USDC.
const base = { amountIn: d(1), priceIn: d(3500), priceOut: d(1), gasGwei: d(30) };

describe('swaps: at most 0.5% slippage, none while gas is above 100 gwei', () => {
  it('a fill at exactly the cap passes; one unit of a cent below it is refused with the numbers', () => {
    expect(checkSwap({ ...base, filledOut: d('3482.5') })).toMatchObject({ ok: true });
    expect(checkSwap({ ...base, filledOut: d('3482.49') })).toEqual({
      ok: false,
      refusal: expect.objectContaining({
        code: 'SLIPPAGE_EXCEEDED',
        details: {
          expectedOut: '3500',
          filledOut: '3482.49',
          minOut: '3482.5',
          slippage: '0.00500286',
          maxSlippage: '0.005',
        },
      }),
    });
  });

  it('100 gwei is allowed, above it nothing swaps whatever the fill', () => {
    expect(checkSwap({ ...base, gasGwei: d(100), filledOut: d(3500) })).toMatchObject({ ok: true });
    expect(checkSwap({ ...base, gasGwei: d('100.1'), filledOut: d(3600) })).toMatchObject({
      ok: false,
      refusal: { code: 'GAS_TOO_HIGH', details: { gasGwei: '100.1', maxGasGwei: '100' } },
    });
  });

  it('SLIPPAGE: an accepted fill never gives less than the quote less the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (amount, pIn, pOut, bps) => {
          const expected = d(amount).mul(pIn).div(pOut);
          const filledOut = expected.mul(d(1).minus(d(bps).div(1_000_000)));
          const r = checkSwap({ amountIn: d(amount), priceIn: d(pIn), priceOut: d(pOut), filledOut, gasGwei: d(1) });
          return r.ok === filledOut.gte(expected.mul('0.995'));
        },
      ),
      { seed: 20261127 },
    );
  });
});
