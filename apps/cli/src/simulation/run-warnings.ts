import type { ManagerCursor } from '@ballast/engine';
import type { SimulationResult } from './simulation-types';
import { underfundedWarning } from './summary-table';

/**
 * What a reader of the run must not miss, as lines for summary.json, the terminal and the report:
 * the pool below its minimum funding ratio, and every reaction a process manager parked as a dead
 * letter (a command it could not send: the effect it stood for did not happen).
 */
export const runWarnings = (pool: SimulationResult['pool'], deadLetters: ManagerCursor['deadLetters']): string[] => {
  const underfunded = underfundedWarning(pool);
  return [
    ...(underfunded ? [underfunded] : []),
    ...deadLetters.map(
      (d) =>
        `event at position ${d.position} parked by ${d.manager}: ` +
        `${d.reaction.kind} ${d.reaction.id} ${String(d.reaction.command.type)} refused ${d.code}` +
        `${d.message ? ` (${d.message})` : ''}`,
    ),
  ];
};
