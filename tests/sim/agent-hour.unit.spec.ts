import { initialAccount } from '@ballast/domain';
import { agentHour, DEFAULT_SYMBOLS, mulberry32, type Outcome, type Proposal, scenarioOf } from '@ballast/sim';

/** An agent that always bets and never trades, hires, earns referrals or files claims. */
const gambler = {
  agentId: 'agent-1',
  betsPerHour: 1,
  favouriteGame: 'coin_flip' as const,
  tradesPerHour: 0,
  hiresPerHour: 0,
  honest: true,
  bogusClaimsPerDay: 0,
};
const view = (seq: number) => ({
  policy: gambler,
  account: initialAccount,
  hour: 1,
  now: Date.UTC(2026, 0, 1, 1),
  tick: { prices: {}, funding: {}, mvrv: 1, fearGreed: 50 },
  symbols: DEFAULT_SYMBOLS,
  others: [],
  scenario: scenarioOf('normal'),
  seq,
});
const rngs = () => ({ act: mulberry32(1), casino: mulberry32(2), jobs: mulberry32(3) });

/** Drives the generator, answering every proposal with `answer`. */
const drive = (seq: number, answer: (p: Proposal) => Outcome): Proposal[] => {
  const seen: Proposal[] = [];
  const hour = agentHour(view(seq), rngs());
  for (let next = hour.next(); !next.done;) {
    seen.push(next.value);
    next = hour.next(answer(next.value));
  }
  return seen;
};

describe('an agent’s hour, proposed one command at a time (packages/sim)', () => {
  it('a bet that is placed is settled, under ids from the sequence it was given', () => {
    const seen = drive(41, () => ({ ok: true, eventTypes: ['BetPlaced'] }));
    expect(
      seen.map((p) => (p.to === 'treasury' ? [p.command.type, (p.command as { betId?: string }).betId] : p.to)),
    ).toEqual([
      ['PlaceBet', 'b41'],
      ['SettleBet', 'b41'],
    ]);
  });

  it('a refused bet is not settled', () => {
    const seen = drive(7, () => ({ ok: false, code: 'NEGATIVE_EDGE', eventTypes: [] }));
    expect(seen.map((p) => (p.to === 'treasury' ? p.command.type : p.to))).toEqual(['PlaceBet']);
  });

  it('the same seeds propose the same hour', () => {
    const answer = () => ({ ok: true, eventTypes: ['BetPlaced'] });
    expect(drive(3, answer)).toEqual(drive(3, answer));
  });
});
