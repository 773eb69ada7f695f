import * as E from 'fp-ts/Either';
import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import { ZERO } from '../money';
import { policyProblems } from '../policy/policy-codecs';
import { accept, type Decision, evolveAccount, type TreasuryAccount } from './account';
import type { CommandOf, TreasuryCommand } from './commands';
import { type ApprovalRequest, heldRequests, pendingRequests, requestOf } from './controls';
import type { ExecutingRequest } from './policy-gate';
import type { TreasuryEvent } from './events';
import { refusalRecord } from './policy-refusals';
import { reject } from './rejections';

/** Decides a command on an account as the treasury stands (its own rules, the policy, the breakers). */
export type DecideStep = (c: TreasuryCommand, a: TreasuryAccount, executing?: ExecutingRequest) => Decision;

/** Requests whose time ran out, closed as time passes: the waiting side learns of it from the refusal record. */
export const expireRequests = (a: TreasuryAccount, at: Instant): TreasuryEvent[] =>
  pendingRequests(a.treasury.controls)
    .filter((r) => at >= r.expiresAt)
    .flatMap((r): TreasuryEvent[] => [
      refusalRecord(
        { ...r.command, at },
        'APPROVAL_EXPIRED',
        `request ${r.requestId} expired at ${new Date(r.expiresAt).toISOString()} ` +
          `with ${r.approvedBy.length} of ${r.required} approvals`,
        { requestId: r.requestId, approvals: r.approvedBy.length, required: r.required, expiresAt: r.expiresAt },
      ),
      { type: 'RequestExpired', at, requestId: r.requestId as never },
    ]);

/**
 * A new policy version. Held for approvals whenever the current policy has approvals (unless it
 * says `policyChanges: false`), so one operator cannot lower what several must agree to; refused
 * during an emergency stop, so the stop cannot be lifted by rewriting who must lift it.
 */
export const decideChangePolicy = (
  c: CommandOf<'ChangePolicy'>,
  a: TreasuryAccount,
  executing?: ExecutingRequest,
): Decision => {
  const problems = policyProblems(c.policy);
  if (problems.length > 0)
    return E.left(reject('POLICY_INVALID', problems.join('; '), { problems: problems.join('; ') }));
  const controls = a.treasury.controls;
  if (controls?.stopped)
    return E.left(
      reject('EMERGENCY_STOP', 'the policy cannot change during an emergency stop: lift it first', {
        stoppedBy: controls.stopped.by,
        stoppedAt: controls.stopped.at,
      }),
    );
  const version = controls?.policyVersion ?? 0;
  const rule = controls?.policy?.approvals;
  if (rule !== undefined && rule.policyChanges !== false && executing === undefined) {
    return accept({
      type: 'ApprovalRequested',
      at: c.at,
      requestId: `req-${(controls?.requestCount ?? 0) + 1}` as never,
      command: c,
      amount: ZERO,
      threshold: ZERO,
      policyVersion: version,
      approvers: rule.approvers ?? [],
      required: rule.required,
      expiresAt: (c.at + rule.expiresMs) as Instant,
      requestedBy: c.by,
    });
  }
  return accept({ type: 'PolicyChanged', at: c.at, version: version + 1, policy: c.policy, by: c.by });
};

/** The pending request a command names, or the refusal saying why it cannot be acted on. */
const openRequest = (
  a: TreasuryAccount,
  requestId: string,
  who: ActorId,
): E.Either<ReturnType<typeof reject>, ApprovalRequest> => {
  const request = requestOf(a.treasury.controls, requestId);
  if (request === undefined)
    return E.left(reject('UNKNOWN_REQUEST', `no approval request ${requestId}`, { requestId }));
  if (request.status === 'expired')
    return E.left(
      reject('REQUEST_EXPIRED', `request ${requestId} expired at ${new Date(request.expiresAt).toISOString()}`, {
        requestId,
        expiresAt: request.expiresAt,
      }),
    );
  if (request.status === 'held')
    return E.left(
      reject('REQUEST_CLOSED', `request ${requestId} is an escrow payment held until the emergency stop lifts`, {
        requestId,
        status: request.status,
      }),
    );
  if (request.status !== 'pending')
    return E.left(
      reject('REQUEST_CLOSED', `request ${requestId} is already ${request.status}`, {
        requestId,
        status: request.status,
      }),
    );
  const { approvers } = ruleFor(a, request);
  // No approvers named: any distinct operators (the API lets only operators send approvals).
  if (approvers.length > 0 && !approvers.includes(who))
    return E.left(
      reject('NOT_AN_APPROVER', `${who} is not one of this request's approvers (${approvers.join(', ')})`, {
        requestId,
        who,
        approvers: approvers.join(','),
      }),
    );
  return E.right(request);
};

/**
 * Who approves a request and how many must: the policy as it stands now (a rule tightened during
 * an incident holds for requests already waiting), or, if the policy no longer has approvals, the
 * rule the request was made under.
 */
const ruleFor = (a: TreasuryAccount, request: ApprovalRequest): { approvers: readonly ActorId[]; required: number } => {
  const now = a.treasury.controls?.policy?.approvals;
  return now === undefined
    ? { approvers: request.approvers, required: request.required }
    : { approvers: now.approvers ?? [], required: now.required };
};

/**
 * One approval. The last one needed executes the held command as asked, at this moment, re-checked
 * against every rule as it stands now (breakers, modes, budgets, balances): exactly once, since the
 * request and the move are one append to one stream. A move refused now closes the request as failed.
 */
export const decideApprove = (c: CommandOf<'ApproveRequest'>, a: TreasuryAccount, decideStep: DecideStep): Decision => {
  const found = openRequest(a, c.requestId, c.approver);
  if (E.isLeft(found)) return found;
  const request = found.right;
  if (request.approvedBy.includes(c.approver))
    return E.left(
      reject(
        'ALREADY_APPROVED',
        `${c.approver} has already approved ${c.requestId}: approvals must come from distinct approvers`,
        {
          requestId: c.requestId,
          approvals: request.approvedBy.length,
          required: ruleFor(a, request).required,
        },
      ),
    );
  if (request.requestedBy === c.approver)
    return E.left(
      reject('SELF_APPROVAL', `${c.approver} asked for ${c.requestId} and cannot approve it too`, {
        requestId: c.requestId,
      }),
    );
  const approvals = request.approvedBy.length + 1;
  const { required } = ruleFor(a, request);
  const approved: TreasuryEvent = {
    type: 'RequestApproved',
    at: c.at,
    requestId: c.requestId,
    approver: c.approver,
    approvals,
    required,
  };
  if (approvals < required) return accept(approved);
  const held = { ...request.command, at: c.at };
  const outcome = decideStep(held, evolveAccount(a, approved), {
    requestId: request.requestId,
    amount: request.amount,
  });
  if (E.isRight(outcome)) {
    const approvers = [...request.approvedBy, c.approver];
    return accept(approved, { type: 'RequestExecuted', at: c.at, requestId: c.requestId, approvers }, ...outcome.right);
  }
  const r = outcome.left;
  const failed: TreasuryEvent = {
    type: 'RequestFailed',
    at: c.at,
    requestId: c.requestId,
    code: r.code,
    message: r.message,
  };
  // The waiting side (an escrow's saga, a pool's transfer) learns of it from a refusal record of its command.
  const record = r.recorded.some((e) => e.type === 'CommandRejected')
    ? r.recorded
    : [refusalRecord(held, r.code, r.message, r.details)];
  return E.left({ ...r, recorded: [approved, failed, ...record] });
};

export const decideDeny = (c: CommandOf<'DenyRequest'>, a: TreasuryAccount): Decision => {
  const found = openRequest(a, c.requestId, c.by);
  if (E.isLeft(found)) return found;
  const request = found.right;
  return accept(
    // The refusal record first: an accepted answer never ends with one (a retry would read it as a refusal).
    refusalRecord({ ...request.command, at: c.at }, 'APPROVAL_DENIED', `request ${c.requestId} was denied by ${c.by}`, {
      requestId: c.requestId,
      by: c.by,
    }),
    {
      type: 'RequestDenied',
      at: c.at,
      requestId: c.requestId,
      by: c.by,
      ...(c.reason === undefined ? {} : { reason: c.reason }),
    },
  );
};

export const decideEmergencyStop = (c: CommandOf<'EmergencyStop'>, a: TreasuryAccount): Decision => {
  const stopped = a.treasury.controls?.stopped;
  if (stopped)
    return E.left(
      reject(
        'ALREADY_STOPPED',
        `an emergency stop is already on (since ${new Date(stopped.at).toISOString()}, by ${stopped.by})`,
        {
          stoppedBy: stopped.by,
          stoppedAt: stopped.at,
        },
      ),
    );
  return accept({
    type: 'EmergencyStopped',
    at: c.at,
    by: c.by,
    ...(c.reason === undefined ? {} : { reason: c.reason }),
  });
};

/**
 * One vote to lift the stop: the policy's `liftRequired` distinct operators (its approvers, when it
 * names them). The last vote lifts it and, in the same append, pays the escrow payments the stop held.
 */
export const decideLift = (c: CommandOf<'LiftEmergencyStop'>, a: TreasuryAccount, decideStep: DecideStep): Decision => {
  const controls = a.treasury.controls;
  const stopped = controls?.stopped;
  if (!stopped) return E.left(reject('NOT_STOPPED', 'no emergency stop is on', {}));
  const approvers = controls?.policy?.approvals?.approvers;
  if (approvers !== undefined && !approvers.includes(c.by))
    return E.left(
      reject('NOT_AN_APPROVER', `${c.by} is not one of the policy's approvers (${approvers.join(', ')})`, {
        who: c.by,
        approvers: approvers.join(','),
      }),
    );
  const required = controls?.policy?.liftRequired ?? 1;
  if (stopped.lifts.includes(c.by))
    return E.left(
      reject('ALREADY_APPROVED', `${c.by} has already voted to lift the stop`, {
        votes: stopped.lifts.length,
        required,
      }),
    );
  const votes = stopped.lifts.length + 1;
  if (votes < required) return accept({ type: 'EmergencyLiftVoted', at: c.at, by: c.by, votes, required });
  const lifted: TreasuryEvent = { type: 'EmergencyStopLifted', at: c.at, by: c.by, votes: [...stopped.lifts, c.by] };
  const events: TreasuryEvent[] = [lifted];
  let state = evolveAccount(a, lifted);
  for (const request of heldRequests(controls)) {
    const command = { ...request.command, at: c.at };
    const outcome = decideStep(command, state, { requestId: request.requestId, amount: request.amount });
    const more: TreasuryEvent[] = E.isRight(outcome)
      ? [{ type: 'RequestExecuted', at: c.at, requestId: request.requestId as never, approvers: [] }, ...outcome.right]
      : [
          // The refusal's record first: an accepted answer must not end with one (see decideDeny).
          ...outcome.left.recorded,
          {
            type: 'RequestFailed',
            at: c.at,
            requestId: request.requestId as never,
            code: outcome.left.code,
            message: outcome.left.message,
          },
        ];
    events.push(...more);
    state = more.reduce(evolveAccount, state);
  }
  return accept(...events);
};

export const decideSetMode = (c: CommandOf<'SetMode'>, a: TreasuryAccount): Decision => {
  const mode = a.treasury.controls?.mode ?? 'normal';
  if (mode === c.mode) return E.left(reject('MODE_UNCHANGED', `the treasury is already in ${mode} mode`, { mode }));
  return accept({
    type: 'ModeChanged',
    at: c.at,
    mode: c.mode,
    by: c.by,
    ...(c.note === undefined ? {} : { note: c.note }),
  });
};
