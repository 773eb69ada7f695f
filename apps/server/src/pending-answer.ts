import type { PendingAnswer } from '@ballast/domain';

/**
 * The approval request among a command's appended events (in their JSON form), if the decider held
 * the move instead of executing it. A held move is accepted (its request is appended), so the route
 * answers 202 with this beside the events: "accepted, not done".
 */
export const pendingOf = (events: readonly unknown[]): PendingAnswer | undefined => {
  const held = events.find(
    (e): e is PendingAnswer & { type: string } =>
      typeof e === 'object' && e !== null && (e as { type?: unknown }).type === 'ApprovalRequested',
  );
  if (held === undefined) return undefined;
  const { requestId, amount, threshold, required, approvers, expiresAt } = held;
  return { requestId, amount, threshold, required, approvers, expiresAt };
};
