import { accrueYield, Decimal, YEAR_MS } from '@ballast/domain';
import fc from 'fast-check';

const d = (s: string | number) => new Decimal(s);

describe('yield in event time: compounding at the venue APY, rounded down', () => {
  it('a year of 6.5% on the seed’s 240,000 base yield earns 15,600 (the document’s figure)', () => {
    expect(accrueYield(d(240_000), d('0.065'), 0, YEAR_MS).toFixed()).toBe('15600');
  });

  it('half a year earns 240,000 × (√1.065 − 1) = 7,677.2092866…, rounded down to 6 decimals', () => {
    expect(accrueYield(d(240_000), d('0.065'), 0, YEAR_MS / 2).toFixed()).toBe('7677.209286');
  });

  it('no time, negative time or no principal earns nothing', () => {
    expect(accrueYield(d(100), d('0.1'), 5, 5).toFixed()).toBe('0');
    expect(accrueYield(d(100), d('0.1'), 5, 4).toFixed()).toBe('0');
    expect(accrueYield(d(0), d('0.1'), 0, YEAR_MS).toFixed()).toBe('0');
  });

  it('ACCRUAL: many small steps never earn more than one step over the same time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.integer({ min: 1, max: 30 * 86_400_000 }), { minLength: 1, maxLength: 20 }),
        (principal, apyBps, steps) => {
          const apy = d(apyBps).div(1000);
          let balance = d(principal);
          let t = 0;
          for (const step of steps) {
            balance = balance.plus(accrueYield(balance, apy, t, t + step));
            t += step;
          }
          const once = d(principal).plus(accrueYield(d(principal), apy, 0, t));
          return balance.lte(once);
        },
      ),
      { seed: 20261127 },
    );
  });
});
