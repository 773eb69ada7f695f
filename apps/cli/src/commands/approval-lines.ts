import type { PendingApprovalRow } from '@ballast/engine';
import type { ApiAnswer } from './approvals-http';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A command's own fields after its type and time, as `key=value` (amounts are already decimal strings). */
const fieldsOf = (fields: Readonly<Record<string, unknown>>): string =>
  Object.entries(fields)
    .filter(([k]) => k !== 'type' && k !== 'at')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');

/** One line per pending request: where, what, how far its approvals got, and until when. */
export const pendingLines = (rows: readonly PendingApprovalRow[], position: number): string[] =>
  rows.length === 0
    ? [`no pending approvals (as of position ${position})`]
    : rows.map(
        (r) =>
          `${r.treasuryId}  ${r.requestId}  ${r.command.type} ${fieldsOf(r.command)}  ` +
          `${r.approvedBy.length} of ${r.required} approvals` +
          `${r.approvedBy.length === 0 ? '' : ` (${r.approvedBy.join(', ')})`}  ` +
          `approvers ${r.approvers.length === 0 ? 'any operator' : r.approvers.join(', ')}  expires ${iso(r.expiresAt)}` +
          `${r.requestedBy === undefined ? '' : `  asked by ${r.requestedBy}`}`,
      );

/** What the server said no with: its code and message, then each number behind it. */
export const refusalLines = (answer: ApiAnswer): string[] => {
  const body = (answer.body ?? {}) as { code?: string; message?: string; details?: object; issues?: unknown[] };
  const lines = [`refused ${body.code ?? `HTTP ${answer.status}`}: ${body.message ?? ''}`.trimEnd()];
  for (const [k, v] of Object.entries(body.details ?? {}))
    lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  for (const issue of body.issues ?? []) lines.push(`  ${JSON.stringify(issue)}`);
  return lines;
};

type Event = { type: string } & Readonly<Record<string, unknown>>;

/**
 * An accepted approval: the move executed (every event it appended), or one more approval of the
 * number the policy in force requires (recorded on the approval itself).
 */
export const approvedLines = (treasury: string, requestId: string, events: readonly Event[]): string[] => {
  const approved = events.find((e) => e.type === 'RequestApproved');
  const count = typeof approved?.approvals === 'number' ? approved.approvals : undefined;
  const required = typeof approved?.required === 'number' ? approved.required : undefined;
  const of = `${count ?? '?'} of ${required ?? '?'} approvals`;
  const executed = events.find((e) => e.type === 'RequestExecuted');
  if (executed === undefined) return [`approved ${requestId} on ${treasury}: ${of}, waiting for more`];
  return [
    `executed ${requestId} on ${treasury}: ${of} (${(executed.approvers as string[]).join(', ')})`,
    ...events
      .filter((e) => e.type !== 'RequestApproved' && e.type !== 'RequestExecuted')
      .map((e) => `  ${e.type} ${fieldsOf(e)}`),
  ];
};

export const deniedLines = (treasury: string, requestId: string, events: readonly Event[]): string[] => {
  const denied = events.find((e) => e.type === 'RequestDenied');
  const reason = typeof denied?.reason === 'string' ? `: ${denied.reason}` : '';
  return [`denied ${requestId} on ${treasury} by ${String(denied?.by ?? '?')}${reason}; it will never execute`];
};
