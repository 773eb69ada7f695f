import { createHash } from 'node:crypto';
import { agentPreset, TreasuryConfigCodec, type RecordedEvent } from '@ballast/domain';
import { auditStore, type AuditReport } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { sleep } from './soak-serve';

type Body = Record<string, unknown>;

/** One command a soak client sent, with every attempt it took to learn the answer. */
export interface SentCommand {
  readonly agent: string;
  readonly idempotencyKey: string;
  readonly body: Body;
  /** The command id the server derives from the key and the principal (command-routes.ts). */
  readonly commandId: string;
  /** Attempts whose outcome the client never learned: connection lost, dropped by the client, 503, conflict. */
  unknown: number;
  /** Attempts this client dropped itself before the answer came. */
  dropped: number;
  status?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answer?: any;
}

export const commandIdOf = (principal: string, key: string) =>
  `idem.${createHash('sha256').update(principal).digest('hex').slice(0, 16)}.${key}`;

/** Cheap commands that are always valid on a funded treasury (a withdrawal may be refused: 422, recorded). */
export const commandAt = (client: number, seq: number): Body =>
  seq % 3 === 0
    ? { type: 'Deposit', amount: '10' }
    : seq % 3 === 1
      ? { type: 'Withdraw', bucket: 'reserve', amount: '1' }
      : { type: 'PlaceBet', betId: `s${client}-${seq}`, game: 'coin_flip', stake: '1' };

export interface LoadClient {
  readonly url: () => string;
  readonly agent: string;
  readonly key: string;
  /** Before each attempt: how long to wait before dropping it (the client disconnects), or undefined. */
  readonly dropAfterMs: () => number | undefined;
  /** Answers that are not an acknowledgement or a recorded refusal. */
  readonly failures: string[];
}

const MAX_ATTEMPTS = 2000;

/**
 * Sends `command` until an answer comes: every attempt carries the same Idempotency-Key, so the server
 * sees one command however many times the network or the server lost it. A 503 (the server stopping) and
 * a lost race for the stream are retried too.
 */
export const settle = async (c: LoadClient, command: SentCommand): Promise<void> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const dropAfterMs = c.dropAfterMs();
    const signal = dropAfterMs === undefined ? undefined : AbortSignal.timeout(dropAfterMs);
    try {
      const response = await fetch(`${c.url()}/v1/treasuries/${command.agent}/commands`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${c.key}`,
          'content-type': 'application/json',
          'idempotency-key': command.idempotencyKey,
        },
        body: JSON.stringify(command.body),
        ...(signal === undefined ? {} : { signal }),
      });
      const answer = (await response.json()) as { code?: string };
      if (response.status === 503 || (response.status === 409 && answer.code === 'CONFLICT_RETRIES_EXHAUSTED')) {
        command.unknown++;
        await sleep(20);
        continue;
      }
      command.status = response.status;
      command.answer = answer;
      if (response.status >= 300 && response.status !== 422)
        c.failures.push(`${command.idempotencyKey}: ${response.status} ${JSON.stringify(answer)}`);
      return;
    } catch {
      // No answer: committed or not, nobody knows. Send it again (the server may be down: wait a little).
      command.unknown++;
      if (signal?.aborted === true) command.dropped++;
      else await sleep(25);
    }
  }
  c.failures.push(`${command.idempotencyKey}: no answer after ${MAX_ATTEMPTS} attempts`);
};

/** A client sending one command after another until `loading()` is false; each goes into `sent` first. */
export const runClient = async (
  c: LoadClient,
  index: number,
  loading: () => boolean,
  sent: SentCommand[],
): Promise<void> => {
  for (let seq = 0; loading(); seq++) {
    const idempotencyKey = `s${index}-${seq}`;
    const command: SentCommand = {
      agent: c.agent,
      idempotencyKey,
      body: commandAt(index, seq),
      commandId: commandIdOf(c.agent, idempotencyKey),
      unknown: 0,
      dropped: 0,
    };
    sent.push(command);
    await settle(c, command);
  }
};

/** The events of the store by the command that appended them. */
export type EventsByCommand = ReadonlyMap<string, readonly RecordedEvent[]>;

/**
 * Acknowledged commands whose events are not in the store exactly as their answer said: none, once each
 * attempt is accounted for. A retry answered `replayed` names the events of the first attempt.
 */
export const misrecorded = (acknowledged: readonly SentCommand[], byCommand: EventsByCommand): string[] =>
  acknowledged.flatMap((r) => {
    const found = byCommand.get(r.commandId) ?? [];
    const positions = found.map((e) => e.position);
    const right =
      r.answer.commandId === r.commandId &&
      found.length > 0 &&
      found.length === r.answer.events.length &&
      positions.at(-1) === r.answer.position &&
      found.at(-1)!.revision === r.answer.revision &&
      positions.every((p, i) => p === positions[0]! + i);
    return right
      ? []
      : [`${r.idempotencyKey} (${r.status}, unknown ${r.unknown}): ${JSON.stringify(r.answer)} vs ${positions}`];
  });

/** Command ids in the store under a soak client's key that no client was answered for. */
export const orphansOf = (sent: readonly SentCommand[], byCommand: EventsByCommand): string[] => {
  const answered = new Set(sent.map((r) => r.commandId));
  return [...byCommand.keys()].filter((id) => /^idem\.[0-9a-f]{16}\.s\d+-\d+$/.test(id) && !answered.has(id));
};

export interface Agent {
  readonly id: string;
  readonly key: string;
}

/** A POST with a key (and an Idempotency-Key): its status and JSON answer. */
const post = async (url: string, path: string, key: string, body: Body, idempotencyKey?: string) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { key?: string } };
};

/**
 * `count` agents, each with its own key and a funded treasury whose casino takes a staked bet, and a
 * service key (`watcher`) for the followers. Keys one after another (they share the access-keys stream),
 * treasuries all at once.
 */
export const openAgents = async (
  url: string,
  operatorKey: string,
  count: number,
): Promise<{ agents: Agent[]; watcher: string }> => {
  const keyFor = async (principal: string, role: string): Promise<string> => {
    const answer = await post(url, '/v1/keys', operatorKey, { principal, role });
    if (answer.status !== 201) throw new Error(`key for ${principal}: ${answer.status} ${JSON.stringify(answer)}`);
    return answer.body.key!;
  };
  const config = TreasuryConfigCodec.encode({ ...agentPreset(), sizing: 'lottery' });
  const agents: Agent[] = [];
  for (let i = 1; i <= count; i++) agents.push({ id: `agent-${i}`, key: await keyFor(`agent-${i}`, 'agent') });
  await Promise.all(
    agents.map(async ({ id, key }) => {
      const path = `/v1/treasuries/${id}/commands`;
      const opened = await post(url, path, operatorKey, { type: 'OpenTreasury', config }, `open-${id}`);
      const funded = await post(url, path, key, { type: 'Deposit', amount: '1000000' }, 'fund');
      if (opened.status !== 201 || funded.status !== 201)
        throw new Error(`treasury ${id}: ${JSON.stringify(opened)} ${JSON.stringify(funded)}`);
    }),
  );
  return { agents, watcher: await keyFor('watcher', 'service') };
};

/**
 * The audit of the store at `db` (every hash chain verified, every aggregate and read model re-folded, the
 * ledger reconciled), with the events tallied by command and by stream in the same pass over the log.
 */
export const auditAndTally = async (
  db: string,
): Promise<{ audit: AuditReport; byCommand: Map<string, RecordedEvent[]>; byStream: Map<string, number> }> => {
  const store = openSqliteStore(db);
  const byCommand = new Map<string, RecordedEvent[]>();
  const byStream = new Map<string, number>();
  try {
    const audit = await auditStore(store, {
      observe: (e) => {
        const id = String(e.metadata.commandId);
        const mine = byCommand.get(id);
        if (mine === undefined) byCommand.set(id, [e]);
        else mine.push(e);
        byStream.set(e.streamId, (byStream.get(e.streamId) ?? 0) + 1);
      },
    });
    return { audit, byCommand, byStream };
  } finally {
    await store.close();
  }
};
