/** What a held move's answer adds: enough for the agent to know its move waits, for whom, and until when. */
export interface PendingAnswer {
  readonly requestId: string;
  readonly amount: string;
  readonly threshold: string;
  readonly required: number;
  readonly approvers: readonly string[];
  /** Epoch ms (event time), like every time in a body. */
  readonly expiresAt: number;
}

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
