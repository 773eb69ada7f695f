import {
  Decimal,
  idleReserve,
  pendingYield,
  type TreasuryAccount,
  type TreasuryCommandInput,
  type VenueQuote,
} from '@ballast/domain';

/** A venue as a DeFi treasury uses it: today's quote (from the venue port) and its share of the base sleeve. */
export interface VenueChoice {
  readonly quote: VenueQuote;
  readonly share: Decimal;
}

const sortById = <T extends { readonly quote: VenueQuote }>(venues: readonly T[]) =>
  [...venues].sort((a, b) => (a.quote.venueId < b.quote.venueId ? -1 : a.quote.venueId > b.quote.venueId ? 1 : 0));

/**
 * The venues' daily upkeep before anything else: a variable rate that moved is recorded (what was
 * earned at the old one accrues first), a fixed term that matured comes back to idle, and what
 * the rest earned since yesterday accrues. Nothing when nothing changed.
 */
export const venueUpkeep = (
  account: TreasuryAccount,
  venues: readonly VenueChoice[],
  now: number,
): TreasuryCommandInput[] => {
  const held = account.treasury.venues ?? {};
  const commands: TreasuryCommandInput[] = [];
  let accrues = false;
  for (const id of Object.keys(held).sort()) {
    const p = held[id]!;
    const quote = venues.find((v) => v.quote.venueId === id)?.quote;
    if (p.maturesAt !== undefined && now >= p.maturesAt) {
      commands.push({ type: 'WithdrawFromVenue', venueId: id });
      continue;
    }
    if (p.kind !== 'fixed-term' && quote !== undefined && !quote.apy.eq(p.apy))
      commands.push({ type: 'RecordVenueRate', venueId: id, apy: quote.apy.toFixed() });
    else if (pendingYield(p, now).gt(0)) accrues = true;
  }
  if (accrues) commands.push({ type: 'AccrueYield' });
  return commands;
};

/**
 * Idle money of the base sleeve into the venues at today's quotes, once it is worth a move: first
 * to each venue short of its share of the whole sleeve (a matured term comes back to its share, not
 * to a share of what came back), the rest by the shares. A fixed term that is already running takes
 * no more (its terms are set): what it would take goes to the first variable venue instead.
 */
export const venueDeposits = (
  account: TreasuryAccount,
  venues: readonly VenueChoice[],
  minMove: Decimal,
): TreasuryCommandInput[] => {
  const { bucket, idle } = idleReserve(account.treasury);
  const sleeve = account.treasury.buckets[bucket] ?? new Decimal(0);
  if (idle.lt(minMove) || venues.length === 0) return [];
  const held = account.treasury.venues ?? {};
  const amounts = new Map<string, Decimal>();
  const open = sortById(venues).filter((v) => v.quote.kind !== 'fixed-term' || held[v.quote.venueId] === undefined);
  const fallback = open.find((v) => v.quote.kind !== 'fixed-term') ?? open[0];
  if (fallback === undefined) return [];
  const add = (v: VenueChoice, amount: Decimal) => {
    const to = open.includes(v) ? v : fallback;
    amounts.set(to.quote.venueId, (amounts.get(to.quote.venueId) ?? new Decimal(0)).plus(amount));
  };
  const shortOf = (v: VenueChoice) =>
    Decimal.max(0, sleeve.mul(v.share).minus(held[v.quote.venueId]?.value ?? new Decimal(0)));
  const short = sortById(venues).reduce((s, v) => s.plus(shortOf(v)), new Decimal(0));
  // What each venue lacks, all of it when the idle money covers every shortfall, else in proportion.
  const scale = short.lte(idle) ? new Decimal(1) : idle.div(short);
  for (const v of sortById(venues)) add(v, shortOf(v).mul(scale).toDecimalPlaces(2, Decimal.ROUND_DOWN));
  const rest = Decimal.max(0, idle.minus(Decimal.min(short, idle)));
  for (const v of sortById(venues)) add(v, rest.mul(v.share).toDecimalPlaces(2, Decimal.ROUND_DOWN));
  return open
    .filter((v) => (amounts.get(v.quote.venueId) ?? new Decimal(0)).gt(0))
    .map((v) => ({
      type: 'DepositToVenue' as const,
      venueId: v.quote.venueId,
      kind: v.quote.kind,
      amount: amounts.get(v.quote.venueId)!.toFixed(),
      apy: v.quote.apy.toFixed(),
      ...(v.quote.exitFee.isZero() ? {} : { exitFee: v.quote.exitFee.toFixed() }),
      ...(v.quote.maturesAt === undefined ? {} : { maturesAt: v.quote.maturesAt }),
    }));
};

/**
 * What to take out of the venues to free `short` of the base sleeve (FUNDS_IN_VENUE's figure):
 * lending first (no fee), then liquidity pools grossed up for their exit fee; a fixed term is
 * never broken before maturity.
 */
export const venueWithdrawals = (account: TreasuryAccount, short: Decimal): TreasuryCommandInput[] => {
  const held = account.treasury.venues ?? {};
  const order = Object.keys(held)
    .filter((id) => held[id]!.kind !== 'fixed-term')
    .sort((a, b) => Number(held[a]!.kind !== 'lending') - Number(held[b]!.kind !== 'lending') || (a < b ? -1 : 1));
  const commands: TreasuryCommandInput[] = [];
  let left = short;
  for (const id of order) {
    if (left.lte(0)) break;
    const p = held[id]!;
    const gross = left.div(new Decimal(1).minus(p.exitFee)).toDecimalPlaces(6, Decimal.ROUND_UP);
    const amount = Decimal.min(gross, p.value);
    commands.push(
      amount.eq(p.value)
        ? { type: 'WithdrawFromVenue', venueId: id }
        : { type: 'WithdrawFromVenue', venueId: id, amount: amount.toFixed() },
    );
    left = left.minus(amount.mul(new Decimal(1).minus(p.exitFee)));
  }
  return commands;
};
