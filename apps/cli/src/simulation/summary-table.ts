import type { SimulationResult } from './simulation-types';

/** The per-agent summary as aligned text lines for the terminal. */
export const summaryTable = (result: SimulationResult): string[] => {
  const header = ['agent', 'start', 'end', 'max dd', 'breakers', 'bets', 'bets refused', 'trades', 'escrows', 'claims filed/paid', 'status'];
  const rows = result.agents.map((a) => [
    a.agentId,
    a.start,
    a.end,
    `${(Number(a.maxDrawdown) * 100).toFixed(2)}%`,
    String(a.breakerTrips),
    String(a.betsPlaced),
    Object.entries(a.betsRefused).map(([k, v]) => `${k} ${v}`).join(', ') || '-',
    String(a.trades),
    String(a.escrows),
    `${a.claimsFiled}/${a.claimsPaid}`,
    a.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 6 || i === 10 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const p = result.pool;
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `pool: reserve $${p.reserve}, funding ratio ${(Number(p.fundingRatio) * 100).toFixed(1)}%, ${p.members} members, claims ${p.claimsFiled} filed / ${p.claimsPaid} paid / ${p.claimsRejected} rejected`,
  ];
};
