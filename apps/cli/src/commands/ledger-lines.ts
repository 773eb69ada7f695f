import type { LedgerReport } from '@ballast/engine';

/** The G6 part of an audit, as text: what was proven, what is in flight, and what history cannot prove. */
export const ledgerLines = (l: LedgerReport): string[] => {
  const t = l.transfers;
  const flows = l.external
    .filter((f) => f.inflow !== '0' || f.outflow !== '0')
    .map((f) => `${f.flow} +${f.inflow}/-${f.outflow}`);
  const lines = [
    `G6        ${l.ok ? 'ok' : 'FAILED'}: ${l.postings} postings; transfers ${t.completed} completed, ` +
      `${t.pending} in flight ($${l.inFlight}), ${t.returned} returned (${t.refused} refused by the payee)`,
    `external  ${flows.join(', ') || 'none'}`,
  ];
  if (l.legacyEvents > 0) {
    lines.push(`legacy    ${l.legacyEvents} money events written before transfers existed moved money with one leg;`);
    lines.push(
      '          booked as the external flow "legacy": G6 proves the system balances with them, not that they were paid',
    );
  }
  for (const p of l.problems.slice(0, 5)) lines.push(`problem   ${p.code}: ${p.message}`);
  if (l.problemCount > 5) lines.push(`problem   … and ${l.problemCount - 5} more`);
  return lines;
};
