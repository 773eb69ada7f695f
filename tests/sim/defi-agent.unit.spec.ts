import {
  Decimal,
  defiPreset,
  initialAccount,
  type MarketSnapshot,
  MarketSnapshotCodec,
  type TreasuryAccount,
  TreasuryCommandCodec,
  TreasuryConfigCodec,
  treasuryDecider,
  type TreasuryEvent,
} from '@ballast/domain';
import {
  affordable,
  DEFAULT_DEFI_TERMS,
  defiDay,
  type DefiOutcome,
  type DefiProposal,
  type DefiSignal,
  sleeveSwaps,
} from '@ballast/sim';
import * as E from 'fp-ts/Either';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const terms = { ...DEFAULT_DEFI_TERMS, operator: 'desk-operator' };

const readingAt = (day: number, over: Record<string, string> = {}): MarketSnapshot => {
  const decoded = MarketSnapshotCodec.decode({
    observedAt: T0 + day * 24 * HOUR,
    btcPrice: '40000',
    ethPrice: '2000',
    mvrvZ: '0.5',
    fundingRate: '0.0001',
    fearGreed: '15',
    source: 'test',
    ...over,
  });
  if (E.isLeft(decoded)) throw new Error('bad reading');
  return decoded.right;
};

/** Decides a wire command at `at` on the account, folds what it gives, and returns both. */
const apply = (account: TreasuryAccount, command: Record<string, unknown>, at: number) => {
  const decoded = TreasuryCommandCodec.decode({ ...command, at });
  if (E.isLeft(decoded)) throw new Error(`bad command ${JSON.stringify(command)}`);
  const out = treasuryDecider.decide(decoded.right, account);
  if (E.isLeft(out)) throw new Error(`${String(command.type)}: ${out.left.message}`);
  return { account: out.right.reduce(treasuryDecider.evolve, account), events: out.right };
};

/** A `defi` treasury with $100,000 (each swap below the $50,000 approval threshold) that has seen `reading`. */
const seen = (reading: MarketSnapshot, account?: TreasuryAccount) => {
  let a = account;
  if (a === undefined) {
    a = apply(initialAccount, { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(defiPreset()) }, T0).account;
    a = apply(a, { type: 'Deposit', amount: '100000' }, T0).account;
  }
  const recorded = apply(
    a,
    { type: 'RecordMarket', snapshot: MarketSnapshotCodec.encode(reading) },
    reading.observedAt + HOUR,
  );
  const signal = recorded.events.find((e): e is DefiSignal => e.type === 'SignalIssued');
  if (signal === undefined) throw new Error('no signal');
  return { account: recorded.account, signal };
};

/** Carries out every swap on the account, as the venue would fill it (each below the approval threshold). */
const swapAll = (account: TreasuryAccount, swaps: ReturnType<typeof sleeveSwaps>, at: number) =>
  swaps.reduce(
    (a, swap, i) =>
      apply(a, { type: 'Swap', swapId: `s${i}`, gasGwei: terms.gasGwei, gasFee: terms.gasFee, ...swap }, at).account,
    account,
  );

describe('a DeFi treasury’s day, proposed as commands (packages/sim defi-agent)', () => {
  it('buys BTC and ETH with USDC toward a risk-on target, at the venue’s fill', () => {
    const reading = readingAt(0);
    const { account, signal } = seen(reading);
    expect(signal.phase).toBe('accumulation');
    expect(signal.target.BTC.gt(0) && signal.target.ETH.gt(0)).toBe(true);
    const swaps = sleeveSwaps(account, reading, signal, terms);
    expect(swaps.map((s) => [s.sell, s.buy])).toEqual([
      ['USDC', 'BTC'],
      ['USDC', 'ETH'],
    ]);
    // The quantity at the reading's price, 0.1% worse, rounded down to 8 decimals.
    const btc = swaps[0]!;
    expect(Number(btc.filled)).toBeCloseTo((Number(btc.amount) / 40000) * 0.999, 7);
    expect(Number(btc.amount)).toBeCloseTo(100000 * signal.target.BTC.toNumber(), -1);
  });

  it('sells on a ladder step: BTC and ETH for USDC', () => {
    const first = seen(readingAt(0));
    const bought = swapAll(first.account, sleeveSwaps(first.account, readingAt(0), first.signal, terms), T0 + HOUR);
    const top = readingAt(1, { mvrvZ: '7.2', btcPrice: '150000', ethPrice: '8000', fearGreed: '70' });
    const { account, signal } = seen(top, bought);
    expect(signal.sell.toNumber()).toBeGreaterThan(0);
    const swaps = sleeveSwaps(account, top, signal, terms);
    expect(swaps.map((s) => [s.sell, s.buy])).toEqual([
      ['BTC', 'USDC'],
      ['ETH', 'USDC'],
    ]);
    // Never more than is held.
    expect(Number(swaps[0]!.amount)).toBeLessThanOrEqual(account.treasury.holdings!.BTC!.quantity.toNumber());
  });

  it('proposes nothing when the split is within minMove of the target', () => {
    const first = seen(readingAt(0));
    const bought = swapAll(first.account, sleeveSwaps(first.account, readingAt(0), first.signal, terms), T0 + HOUR);
    const again = seen(readingAt(1), bought);
    expect(again.signal.target).toEqual(first.signal.target);
    expect(sleeveSwaps(again.account, readingAt(1), again.signal, terms)).toEqual([]);
    // The same split with a larger minMove than the whole plan is also left alone.
    expect(sleeveSwaps(first.account, readingAt(0), first.signal, { ...terms, minMove: '1000000' })).toEqual([]);
  });

  it('the day as a generator: rebalances, records the reading, swaps, and an operator approves what is held', () => {
    const reading = readingAt(0);
    const { account, signal } = seen(reading);
    const now = reading.observedAt + HOUR;
    const day = defiDay({ account, reading, now, venues: [], seq: 40 }, terms);
    const seenProposals: DefiProposal[] = [];
    const ev = (e: Record<string, unknown>) => e as unknown as TreasuryEvent;
    const answer = (p: DefiProposal): DefiOutcome => {
      if (p.to === 'look' || p.to === 'advise') return { ok: true, events: [], account };
      if (p.command.type === 'RecordMarket') return { ok: true, events: [signal] };
      if (p.command.type === 'Rebalance') return { ok: false, code: 'REBALANCE_NOT_NEEDED', events: [] };
      // The first swap is held for approval, the second goes through.
      if (p.command.type === 'Swap' && p.command.buy === 'BTC')
        return { ok: true, events: [ev({ type: 'ApprovalRequested', requestId: 'r1' })] };
      return { ok: true, events: [ev({ type: 'Swapped' })] };
    };
    let next = day.next();
    while (!next.done) {
      seenProposals.push(next.value);
      next = day.next(answer(next.value));
    }
    expect(
      seenProposals.map((p) =>
        p.to !== 'treasury'
          ? [p.to]
          : [p.command.type, p.as, (p.command as { swapId?: string; requestId?: string }).swapId ?? ''],
      ),
    ).toEqual([
      ['Rebalance', 'treasury', ''],
      ['RecordMarket', 'treasury', ''],
      ['look'],
      // Each purchase first looks at the cash there is; each command runs under the next sequence number.
      ['look'],
      ['Swap', 'treasury', 's42'],
      ['ApproveRequest', 'operator', ''],
      ['look'],
      ['Swap', 'treasury', 's44'],
      // Then a look at what the base sleeve holds idle for the venues (none are offered here).
      ['look'],
    ]);
    const approve = seenProposals[5]!;
    expect(approve.to === 'treasury' && approve.command).toEqual({
      type: 'ApproveRequest',
      requestId: 'r1',
      approver: 'desk-operator',
    });
    expect(next.value.approvals).toBe(1);
    expect(next.value.trades.map((t) => [t.buy, t.approved])).toEqual([
      ['BTC', true],
      ['ETH', false],
    ]);
    expect(next.value.signal).toBe(signal);
  });

  it('no signal (a refused reading): no swap is proposed', () => {
    const reading = readingAt(0);
    const { account } = seen(reading);
    const day = defiDay({ account, reading, now: reading.observedAt + HOUR, venues: [], seq: 0 });
    const types: string[] = [];
    let next = day.next();
    while (!next.done) {
      types.push(next.value.to !== 'treasury' ? next.value.to : next.value.command.type);
      next = day.next({ ok: false, code: 'MARKET_OUT_OF_ORDER', events: [] });
    }
    expect(types).toEqual(['Rebalance', 'RecordMarket', 'look']);
    expect(next.value).toEqual({ trades: [], approvals: 0 });
  });
});

describe('a purchase takes at most the cash there is', () => {
  it('cuts a buy down to the sleeve’s cash less gas, at the same fill, or drops it below the minimum move', () => {
    const reading = readingAt(0);
    const { account } = seen(reading);
    const cash = account.treasury.buckets.tactical!;
    const swap = { sell: 'USDC' as const, buy: 'BTC' as const, amount: cash.plus(100).toFixed(), filled: '1' };
    const cut = affordable(swap, account, reading, terms)!;
    expect(cut.amount).toBe(cash.minus(terms.gasFee).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed());
    const price = reading.btcPrice;
    expect(new Decimal(cut.filled).lte(new Decimal(cut.amount).div(price))).toBe(true);
    expect(affordable({ ...swap, amount: '10' }, account, reading, terms)).toEqual({ ...swap, amount: '10' });
    expect(affordable(swap, account, reading, { ...terms, minMove: cash.plus(1).toFixed() })).toBeUndefined();
  });
});

describe('an outside advisor (off unless the view says so)', () => {
  it('asks after the signal, and the sleeve trades toward the advice the treasury recorded', () => {
    const reading = readingAt(0);
    const { account, signal } = seen(reading);
    const now = reading.observedAt + HOUR;
    const run = (advice: DefiOutcome['target']) => {
      const day = defiDay({ account, reading, now, venues: [], seq: 0, advisor: true }, terms);
      const asked: string[] = [];
      let next = day.next();
      while (!next.done) {
        const p = next.value;
        asked.push(p.to === 'treasury' ? p.command.type : p.to);
        const outcome: DefiOutcome =
          p.to === 'advise'
            ? { ok: true, events: [], ...(advice === undefined ? {} : { target: advice }) }
            : p.to === 'look'
              ? { ok: true, events: [], account }
              : p.command.type === 'RecordMarket'
                ? { ok: true, events: [signal] }
                : { ok: false, code: 'REBALANCE_NOT_NEEDED', events: [] };
        next = day.next(outcome);
      }
      return asked;
    };
    // The rules' signal is risk-on: without advice (refused or failed) the sleeve buys.
    expect(run(undefined).filter((t) => t === 'Swap').length).toBeGreaterThan(0);
    expect(run(undefined).indexOf('advise')).toBe(run(undefined).indexOf('RecordMarket') + 1);
    // Advice to stay in USDC, recorded: nothing is bought.
    const stay = { ...signal.target, BTC: new Decimal(0), ETH: new Decimal(0), USDC: new Decimal('0.4') };
    expect(run(stay).filter((t) => t === 'Swap')).toEqual([]);
  });
});
