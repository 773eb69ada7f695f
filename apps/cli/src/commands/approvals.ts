import { pendingApprovals, type PendingApprovalRow, treasuryAccounts, type TreasuryAccounts } from '@ballast/engine';
import { type CliIo, EXIT, UsageError } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore } from '../store-options';
import { approvedLines, deniedLines, pendingLines, refusalLines } from './approval-lines';
import { type ApiAnswer, apiKeyOf, callApi, serverUrlOf, Unreachable } from './approvals-http';

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** The pending requests and the position they are as of, folded from the store file itself (read-only). */
const pendingFromStore = async (values: Values): Promise<{ rows: PendingApprovalRow[]; position: number }> => {
  const { store } = await openExistingStore(values);
  try {
    const fold = treasuryAccounts.inPlace!(treasuryAccounts.initial);
    let position = 0;
    for await (const e of store.readAll()) {
      fold.step(e);
      position = e.position;
    }
    return { rows: pendingApprovals(fold.finish() as TreasuryAccounts), position };
  } finally {
    await store.close();
  }
};

/** The same rows from a running server's read model (an operator's or a service's key). */
const pendingFromServer = async (
  values: Values,
  signal: AbortSignal,
): Promise<{ rows: PendingApprovalRow[]; position: number } | ApiAnswer> => {
  const answer = await callApi(
    serverUrlOf(values.url),
    apiKeyOf(values.key),
    'GET',
    '/v1/read-models/pending-approvals',
    {
      signal,
    },
  );
  if (answer.status !== 200) return answer;
  return { rows: answer.body.state as PendingApprovalRow[], position: answer.body.position as number };
};

/** A refusal's exit code: bad input is bad usage; a server failing is as good as unreachable; the rest a refusal. */
const refusedWith = (io: CliIo, answer: ApiAnswer): number => {
  for (const line of refusalLines(answer)) io.err(line);
  if (answer.status === 400) return EXIT.usage;
  return answer.status >= 500 ? EXIT.storeFailed : EXIT.checkFailed;
};

const list = async (values: Values, io: CliIo, signal: AbortSignal): Promise<number> => {
  if ((values.db === undefined) === (values.url === undefined)) throw new UsageError('give --db PATH or --url URL');
  const found = values.db !== undefined ? await pendingFromStore(values) : await pendingFromServer(values, signal);
  if ('status' in found) return refusedWith(io, found);
  if (values.json) io.out(JSON.stringify({ position: found.position, pending: found.rows }));
  else for (const line of pendingLines(found.rows, found.position)) io.out(line);
  return EXIT.ok;
};

/** Approves or denies as the key's own principal (GET /v1/whoami): the server refuses any other name. */
const decide = async (
  action: 'approve' | 'deny',
  [treasury, requestId]: readonly string[],
  values: Values,
  io: CliIo,
  signal: AbortSignal,
): Promise<number> => {
  const url = serverUrlOf(values.url);
  const key = apiKeyOf(values.key);
  const whoami = await callApi(url, key, 'GET', '/v1/whoami', { signal });
  if (whoami.status !== 200) return refusedWith(io, whoami);
  const me = whoami.body.principal as string;
  const path = `/v1/treasuries/${encodeURIComponent(treasury!)}`;
  const reason = typeof values.reason === 'string' ? { reason: values.reason } : {};
  const command =
    action === 'approve'
      ? { type: 'ApproveRequest', requestId, approver: me }
      : { type: 'DenyRequest', requestId, by: me, ...reason };
  const answer = await callApi(url, key, 'POST', `${path}/commands`, { body: command, signal });
  if (answer.status >= 300) return refusedWith(io, answer);
  const events = answer.body.events as Parameters<typeof approvedLines>[2];
  if (action === 'deny') {
    for (const line of deniedLines(treasury!, requestId!, events)) io.out(line);
    return EXIT.ok;
  }
  for (const line of approvedLines(treasury!, requestId!, events)) io.out(line);
  return EXIT.ok;
};

export const approvalsCommand: CliCommand = {
  name: 'approvals',
  summary: 'list, approve and deny moves held by a spend policy for approval',
  help: `Usage: ballast approvals list (--db PATH | --url URL) [--key KEY] [--json]
       ballast approvals approve TREASURY REQUEST-ID --url URL [--key KEY]
       ballast approvals deny TREASURY REQUEST-ID --url URL [--key KEY] [--reason TEXT]

A move above a treasury's approval threshold is held as a request (req-1, req-2, …) until enough
of the policy's approvers approve it; the last approval executes it, re-checked against the rules
as they stand then. approve and deny talk to a running 'ballast serve' and act as the key's own
principal (the server tells it: GET /v1/whoami): only an operator key can approve, one named
among the policy's approvers when it names any (else any operator); each approver counts once,
and whoever sent the held move cannot approve it (SELF_APPROVAL).

  list      every pending request, soonest expiry first: from the store file (--db, read-only,
            works beside a running server) or from the server's read model (--url, with an
            operator or service key)
  approve   one approval: prints "approved … N of M approvals", or "executed …" and the events
            the move appended, or the refusal's code, message and numbers
  deny      closes the request: it never executes

Options:
  --db PATH      the SQLite store file (it must exist)
  --url URL      the server, e.g. http://127.0.0.1:8787
  --key KEY      an API key; without it, the BALLAST_KEY environment variable, which is the
                 better choice (a key on the command line shows in the process list). Never printed
  --reason TEXT  with deny: why, recorded with the denial
  --json         with list: one JSON object {position, pending: [...]}
  -h, --help     show this help

Exit codes: 0 ok, 1 refused (the code says why: ALREADY_APPROVED, NOT_AN_APPROVER, REQUEST_CLOSED,
SELF_APPROVAL, FORBIDDEN, KEY_UNKNOWN, …), 2 bad usage, 3 the server could not be reached (or failed) or the
store could not be opened.`,
  options: {
    db: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  },
  takesArguments: true,
  run: async (values, io, signal, args) => {
    const [action, ...rest] = args;
    try {
      if (action === 'list') {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
        return await list(values, io, signal);
      }
      if (action === 'approve' || action === 'deny') {
        if (rest.length !== 2) throw new UsageError(`${action} takes TREASURY and REQUEST-ID`);
        if (values.db !== undefined)
          throw new UsageError(`${action} goes through a running server: give --url, not --db`);
        if (action === 'approve' && values.reason !== undefined) throw new UsageError('--reason goes with deny');
        return await decide(action, rest, values, io, signal);
      }
      throw new UsageError(
        action === undefined ? 'give list, approve or deny' : `unknown action '${action}' (list, approve, deny)`,
      );
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      io.err(`ballast approvals: ${error.message}`);
      return EXIT.storeFailed;
    }
  },
};
