import { Decimal } from '@ballast/domain';
import type { AgentSummary, SimulationResult } from './simulation-types';

/** Aligned columns: text (the first column and those in `leftAlso`) padded on the right, numbers on the left. */
const aligned = (header: readonly string[], rows: readonly string[][], leftAlso: readonly number[] = []): string[] => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || leftAlso.includes(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
};

/** The P&L table's columns: one source each, or several summed (amounts are the summary's exact strings). */
const PNL_COLUMNS: readonly (readonly [string, readonly string[]])[] = [
  ['casino', ['casino']],
  ['trading', ['trading']],
  ['funding', ['funding']],
  ['escrow paid', ['escrowPaid']],
  ['escrow earned', ['escrowEarned']],
  ['fees', ['escrowFees']],
  ['premiums', ['premiums']],
  ['stakes', ['stakes']],
  ['payouts', ['payouts']],
  ['referrals', ['referrals']],
  // Revaluations, deposits after the start, withdrawals and transfers of other purposes.
  ['other', ['revaluation', 'depositsAfterStart', 'withdrawals', 'otherTransfers']],
  ['unrealized', ['unrealized']],
];

const sumOf = (pnl: AgentSummary['pnl'], keys: readonly string[]): Decimal =>
  keys.reduce((n, k) => n.plus(pnl[k] ?? 0), new Decimal(0));

/** start + Σ pnl = end, exactly, from the summary's own strings (the same check a reader of summary.json can make). */
export const pnlReconciles = (a: AgentSummary): boolean =>
  new Decimal(a.start).plus(sumOf(a.pnl, Object.keys(a.pnl))).eq(a.end);

/** The P&L by source as cells, one row per agent (for the terminal and the HTML report). */
export const pnlCells = (agents: readonly AgentSummary[]): { header: string[]; rows: string[][] } => ({
  header: ['agent', ...PNL_COLUMNS.map(([name]) => name), 'start + Σ = end'],
  rows: agents.map((a) => [
    a.agentId,
    ...PNL_COLUMNS.map(([, keys]) => sumOf(a.pnl, keys).toFixed(2)),
    pnlReconciles(a) ? 'ok' : 'MISMATCH',
  ]),
});

const pnlTable = (agents: readonly AgentSummary[]): string[] => {
  const { header, rows } = pnlCells(agents);
  return ['P&L by source (cents shown; the check is exact):', ...aligned(header, rows, [header.length - 1])];
};

const percent = (ratio: string, decimals?: number): string => {
  const x = new Decimal(ratio).mul(100);
  return `${decimals === undefined ? x.toFixed() : x.toFixed(decimals)}%`;
};

const ratioText = (p: SimulationResult['pool']): string =>
  new Decimal(p.coverage).isZero() ? 'n/a (nothing covered)' : percent(p.fundingRatio, 1);

/**
 * The warning (without its "warning: " prefix) when the pool ends below its minimum funding ratio (P6), else undefined.
 */
export const underfundedWarning = (p: SimulationResult['pool']): string | undefined =>
  p.underfunded
    ? `pool ${p.poolId} is underfunded: funding ratio ${ratioText(p)} < minimum ${percent(p.minFundingRatio)}`
    : undefined;

const poolLines = (result: SimulationResult): string[] => {
  const p = result.pool;
  const ratio = ratioText(p);
  const lapsed = result.agents.filter((a) => a.cover === 'lapsed').map((a) => a.agentId);
  return [
    `pool ${p.poolId}: reserve $${p.reserve}, coverage $${p.coverage}, funding ratio ${ratio} ` +
      `(minimum ${percent(p.minFundingRatio)}, ${p.underfunded ? 'underfunded' : 'funded'}), ${p.members} members, ` +
      `claims ${p.claimsFiled} filed / ${p.claimsPaid} paid / ${p.claimsRejected} rejected`,
    ...result.warnings.map((w) => `warning: ${w}`),
    ...(lapsed.length > 0
      ? [
          `cover lapsed (a premium the treasury refused; claims refused until a later premium is paid): ${lapsed.join(', ')}`,
        ]
      : []),
  ];
};

/** The per-agent summary, the P&L by source and the pool, as aligned text lines for the terminal. */
export const summaryTable = (result: SimulationResult): string[] => {
  const header = [
    'agent',
    'start',
    'end',
    'max dd',
    'breakers',
    'bets',
    'bets refused',
    'trades',
    'escrows',
    'claims filed/paid',
    'status',
    'cover',
  ];
  const rows = result.agents.map((a) => [
    a.agentId,
    a.start,
    new Decimal(a.end).toFixed(2),
    `${(Number(a.maxDrawdown) * 100).toFixed(2)}%`,
    String(a.breakerTrips),
    String(a.betsPlaced),
    Object.entries(a.betsRefused)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-',
    String(a.trades),
    String(a.escrows),
    `${a.claimsFiled}/${a.claimsPaid}`,
    a.status,
    a.cover,
  ]);
  return [
    ...aligned(header, rows, [6, 10, 11]),
    ...defiLines(result.defi),
    '',
    ...pnlTable(result.agents),
    '',
    ...poolLines(result),
  ];
};

/** The DeFi treasuries' figures as cells, one row each (for the terminal and the HTML report). */
export const defiCells = (defi: NonNullable<SimulationResult['defi']>): { header: string[]; rows: string[][] } => ({
  header: [
    'defi treasury',
    'start',
    'end',
    'return',
    'yield',
    'phase',
    'mode',
    'signals',
    'swaps',
    'approvals',
    'right at 7 d',
    'status',
  ],
  rows: defi.map((d) => [
    d.treasuryId,
    d.start,
    d.end,
    percent(d.return, 2),
    new Decimal(d.yield).toFixed(2),
    d.phase || '-',
    d.mode || '-',
    String(d.signals),
    String(d.swaps),
    String(d.approvals),
    d.decisionsJudged === 0 ? '-' : `${d.decisionsRight} of ${d.decisionsJudged}`,
    d.status,
  ]),
});

/** The DeFi treasuries' table, after a blank line; nothing in a run without them. */
const defiLines = (defi: SimulationResult['defi']): string[] => {
  if (defi === undefined || defi.length === 0) return [];
  const { header, rows } = defiCells(defi);
  return [
    '',
    'DeFi treasuries (a synthetic market cycle, one reading a day; moves above the threshold approved by the operator):',
    ...aligned(header, rows, [5, 6, 11]),
  ];
};
