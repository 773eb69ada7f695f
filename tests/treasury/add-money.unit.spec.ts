import { addMoney, Decimal } from '@ballast/domain';
import fc from 'fast-check';

// Sign and value: a −0 and a 0 digest alike but serialize apart in snapshots, so both must match.
const exact = (d: Decimal) => `${d.isNeg() ? '-' : '+'}${d.toFixed()}`;
const amount = fc.oneof(
  fc.constantFrom('0', '-0', '0.000001', '-0.000001', '999999999999999.999999', '-999999999999999.999999'),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }), fc.integer({ min: 0, max: 6 }))
    .map(([units, places]) => new Decimal(units.toString()).div(10 ** places).toFixed()),
);

describe('addMoney: a + b without building Decimals for a zero side', () => {
  it('is exactly what decimal.js answers for a.plus(b), sign of zero included', () => {
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        const x = new Decimal(a);
        const y = new Decimal(b);
        expect(exact(addMoney(x, y))).toBe(exact(x.plus(y)));
      }),
      { numRuns: 2000 },
    );
  });
});
