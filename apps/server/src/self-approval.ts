import { AGGREGATE_KINDS, streamIdOf } from '@ballast/engine';
import type { Principal } from './principals';
import type { ServerContext } from './server-context';

/**
 * Four eyes over HTTP: whoever sent a held move cannot also approve it. The decider knows a policy
 * change's requester (it names itself in `by`), but a move's requester is the key that sent it,
 * which only the server knows: the actor the engine recorded on the request's ApprovalRequested
 * event. Reads the treasury's stream up to that event (approvals are rare; a request names itself).
 */
export const selfApproval = async (
  ctx: ServerContext,
  principal: Principal,
  treasuryId: string,
  requestId: unknown,
): Promise<
  { status: 403; body: { code: 'SELF_APPROVAL'; message: string; details: Record<string, string> } } | undefined
> => {
  if (typeof requestId !== 'string') return undefined;
  for await (const recorded of ctx.ballast.store.readStream(streamIdOf(AGGREGATE_KINDS.treasury, treasuryId))) {
    if (recorded.type !== 'ApprovalRequested' || (recorded.data as { requestId?: unknown }).requestId !== requestId)
      continue;
    const actor = (recorded.metadata as { actor?: unknown }).actor;
    if (actor !== principal.id) return undefined;
    return {
      status: 403,
      body: {
        code: 'SELF_APPROVAL',
        message: `${principal.id} sent the move held as ${requestId} and cannot approve it too`,
        details: { principal: principal.id, requestId, treasuryId },
      },
    };
  }
  return undefined;
};
