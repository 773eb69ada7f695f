import {
  Decimal,
  defiPreset,
  initialAccount,
  type TreasuryAccount,
  TreasuryCommandCodec,
  TreasuryConfigCodec,
  treasuryDecider,
  type VenueQuote,
} from '@ballast/domain';
import { quoteVenues, simulatedVenues, venueDeposits, venueUpkeep, venueWithdrawals } from '@ballast/sim';
import * as E from 'fp-ts/Either';

const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const apply = (account: TreasuryAccount, command: Record<string, unknown>, at: number) => {
  const decoded = TreasuryCommandCodec.decode({ ...command, at });
  if (E.isLeft(decoded)) throw new Error(`bad command ${JSON.stringify(command)}`);
  const out = treasuryDecider.decide(decoded.right, account);
  if (E.isLeft(out)) throw new Error(`${String(command.type)}: ${out.left.code} ${out.left.message}`);
  return out.right.reduce(treasuryDecider.evolve, account);
};
const applyAll = (account: TreasuryAccount, commands: readonly Record<string, unknown>[], at: number) =>
  commands.reduce((a, c) => apply(a, c, at), account);

// Without the approval threshold: the keeper's moves are judged on the venues' rules alone here.
const opened = applyAll(
  initialAccount,
  [
    { type: 'OpenTreasury', config: { ...TreasuryConfigCodec.encode(defiPreset()), policy: {} } },
    { type: 'Deposit', amount: '400000' },
  ],
  T0,
);
const quote = (venueId: string, kind: VenueQuote['kind'], apy: string, extra: Partial<VenueQuote> = {}) => ({
  quote: { venueId, kind, apy: new Decimal(apy), exitFee: new Decimal(0), ...extra },
});
const venues = (at: number) => [
  { ...quote('aave', 'lending', '0.06'), share: new Decimal('0.4') },
  { ...quote('pendle', 'fixed-term', '0.07', { maturesAt: at + 90 * DAY }), share: new Decimal('0.3') },
  { ...quote('curve', 'liquidity-pool', '0.05', { exitFee: new Decimal('0.0004') }), share: new Decimal('0.3') },
];

describe('the venue keeper (packages/sim venue-keeper): pure proposals for the base sleeve’s venues', () => {
  it('deploys the idle base sleeve by the venues’ shares, then nothing while nothing is idle', () => {
    const deposits = venueDeposits(opened, venues(T0), new Decimal(1000));
    expect(deposits.map((c) => [c.type, (c as { venueId: string }).venueId, (c as { amount: string }).amount])).toEqual(
      [
        ['DepositToVenue', 'aave', '96000'],
        ['DepositToVenue', 'curve', '72000'],
        ['DepositToVenue', 'pendle', '72000'],
      ],
    );
    const deployed = applyAll(opened, deposits, T0);
    expect(venueDeposits(deployed, venues(T0), new Decimal(1000))).toEqual([]);
  });

  it('a running fixed term takes no more: its share of new idle money goes to the lending venue', () => {
    const deployed = applyAll(opened, venueDeposits(opened, venues(T0), new Decimal(1000)), T0);
    const more = apply(deployed, { type: 'Deposit', bucket: 'baseYield', amount: '10000' }, T0 + DAY);
    const deposits = venueDeposits(more, venues(T0 + DAY), new Decimal(1000));
    expect(deposits.map((c) => [(c as { venueId: string }).venueId, (c as { amount: string }).amount])).toEqual([
      ['aave', '7000'],
      ['curve', '3000'],
    ]);
  });

  it('upkeep records a moved rate, accrues the rest, brings a matured term back; nothing on a quiet day', () => {
    const deployed = applyAll(opened, venueDeposits(opened, venues(T0), new Decimal(1000)), T0);
    expect(venueUpkeep(deployed, venues(T0), T0)).toEqual([]);
    const moved = [{ ...venues(T0)[0]!, quote: { ...venues(T0)[0]!.quote, apy: new Decimal('0.05') } }];
    expect(venueUpkeep(deployed, moved, T0 + DAY)).toEqual([
      { type: 'RecordVenueRate', venueId: 'aave', apy: '0.05' },
      { type: 'AccrueYield' },
    ]);
    const later = T0 + 91 * DAY;
    const upkeep = venueUpkeep(deployed, venues(later), later);
    expect(upkeep).toEqual([{ type: 'WithdrawFromVenue', venueId: 'pendle' }, { type: 'AccrueYield' }]);
    const after = applyAll(deployed, upkeep, later);
    expect(after.treasury.venues?.pendle).toBeUndefined();
    // The term earned its 7% for 90 days, no more: the matured money is idle again, ready for new terms.
    expect(after.treasury.buckets.baseYield!.gt(240000)).toBe(true);
  });

  it('frees what a move needs: lending first, then a pool grossed up for its fee; never a fixed term early', () => {
    const deployed = applyAll(opened, venueDeposits(opened, venues(T0), new Decimal(1000)), T0);
    expect(venueWithdrawals(deployed, new Decimal(50000))).toEqual([
      { type: 'WithdrawFromVenue', venueId: 'aave', amount: '50000' },
    ]);
    const both = venueWithdrawals(deployed, new Decimal(100000));
    expect(both).toEqual([
      { type: 'WithdrawFromVenue', venueId: 'aave' },
      // 4,000 more after the fee: 4,000 / (1 − 0.0004), rounded up.
      { type: 'WithdrawFromVenue', venueId: 'curve', amount: '4001.600641' },
    ]);
    const freed = applyAll(deployed, both, T0);
    const idle = freed.treasury.buckets
      .baseYield!.minus(freed.treasury.venues!.curve!.value)
      .minus(freed.treasury.venues!.pendle!.value);
    expect(idle.gte(100000)).toBe(true);
  });

  it('the simulated venues quote deterministically from their seed, around seed 002’s 6.5%', async () => {
    const a = await quoteVenues(simulatedVenues(2), T0 + 10 * DAY);
    const b = await quoteVenues(simulatedVenues(2), T0 + 10 * DAY);
    expect(a).toEqual(b);
    expect(a.map((v) => v.quote.venueId)).toEqual(['aave-usdc', 'pendle-pt', 'curve-3pool']);
    const blended = a.reduce((s, v) => s.plus(v.quote.apy.mul(v.share)), new Decimal(0));
    expect(blended.toNumber()).toBeGreaterThan(0.05);
    expect(blended.toNumber()).toBeLessThan(0.08);
    expect(a[1]!.quote.maturesAt).toBe(Math.floor((T0 + 10 * DAY) / DAY) * DAY + 90 * DAY);
  });
});
