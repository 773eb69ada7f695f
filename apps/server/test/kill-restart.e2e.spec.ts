import { agentPreset, TreasuryConfigCodec, type RecordedEvent } from '@ballast/domain';
import { openSqliteStore } from '@ballast/event-store';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ballast, MAIN, ROOT } from './ballast-cli';
import { sseMessages } from './sse-text';

/**
 * Issue 14, reliability: many agents write through one `ballast serve`, which is killed with SIGKILL under
 * load and restarted on the same file (and port). Clients retry every request whose answer they never got
 * with the same Idempotency-Key; live-stream followers reconnect with Last-Event-ID. Afterwards every
 * acknowledged command is in the store exactly once, nothing is in it that no client was answered for,
 * the audit passes, and each follower saw exactly the positions 1..head, in order, once each.
 *
 * BALLAST_SERVER_KILLS=N runs N kill/restart rounds (default 2) for longer soak runs.
 */
const KILLS = Math.max(1, Number(process.env.BALLAST_SERVER_KILLS ?? 2) || 2);
const AGENTS = 8;
const CLIENTS = 12;
const FOLLOWERS = 3;
/** Load before each kill and after the last restart. */
const LOAD_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

const serve = async (db: string, port: number): Promise<Serve> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'serve', '--db', db, '--port', String(port), '--rate-limit', '1000000'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" in 30 s: ${out} ${err}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening: ${err}`));
    });
  });
  return { child, url, exited, stderr: () => err };
};

const waitReady = async (url: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    const ready = await fetch(`${url}/ready`).catch(() => undefined);
    if (ready?.status === 200) return;
    await sleep(25);
  }
  throw new Error(`${url} not ready in 10 s`);
};

/** A gate the clients wait at while the server is down. */
class Gate {
  private opened: Promise<void> = Promise.resolve();
  private open: () => void = () => undefined;
  close(): void {
    this.opened = new Promise((resolve) => (this.open = resolve));
  }
  reopen(): void {
    this.open();
  }
  wait(): Promise<void> {
    return this.opened;
  }
}

/** Follows /v1/events/stream across server deaths: a message counts only once complete, and reconnects resume. */
class Follower {
  readonly ids: number[] = [];
  /** An event whose data does not name the position its id says. */
  readonly mismatched: number[] = [];
  connects = 0;
  closings = 0;
  resumes = 0;
  readonly refused: number[] = [];
  private stopping = false;
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  last(): number {
    return this.ids.at(-1) ?? 0;
  }

  start(): void {
    this.done = this.run();
  }

  /** Stops reconnecting; the open stream ends when the server closes it (with `closing`) or at `abort`. */
  finishAfterThisStream(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'text/event-stream' };
        if (this.ids.length > 0) headers['last-event-id'] = String(this.last());
        const response = await fetch(`${this.url}/v1/events/stream`, { headers, signal: this.abort.signal });
        if (response.status !== 200) {
          this.refused.push(response.status);
          await response.body?.cancel();
        } else {
          this.connects++;
          for await (const message of sseMessages(response.body!)) {
            if (message.event === 'event') {
              const id = Number(message.id);
              if ((JSON.parse(message.data) as RecordedEvent).position !== id) this.mismatched.push(id);
              this.ids.push(id);
            } else if (message.event === 'closing') this.closings++;
            else if (message.event === 'resume') this.resumes++;
          }
        }
      } catch {
        // The server died (or we aborted): resume from the last complete event.
      }
      if (!this.stopping) await sleep(50);
    }
  }
}

type Body = Record<string, unknown>;

interface Request {
  readonly agent: string;
  readonly idempotencyKey: string;
  readonly body: Body;
  /** The command id the server derives from the key and the principal. */
  readonly commandId: string;
  /** Attempts whose outcome the client never learned (connection lost, 503 while stopping, conflict). */
  unknown: number;
  status?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answer?: any;
}

const commandIdOf = (principal: string, key: string) =>
  `idem.${createHash('sha256').update(principal).digest('hex').slice(0, 16)}.${key}`;

describe('kill -9 under load: acknowledged commands survive exactly once, streams resume without gap', () => {
  let dir: string;
  let current: Serve | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-kill-'));
  });
  afterAll(async () => {
    if (current && current.child.exitCode === null && current.child.signalCode === null) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `${CLIENTS} clients, ${FOLLOWERS} followers, ${KILLS} SIGKILL/restart round(s)`,
    async () => {
      const t0 = Date.now();
      const db = join(dir, 'ballast.db');
      const created = ballast('keys', '--db', db, '--create', '--principal', 'ops', '--role', 'operator', '--json');
      expect(created.code).toBe(0);
      const ops = (JSON.parse(created.out) as { key: string }).key;

      current = await serve(db, 0);
      const url = current.url;
      const port = Number(new URL(url).port);
      await waitReady(url);

      const call = async (path: string, key: string, body: Body, idem?: string) => {
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            ...(idem === undefined ? {} : { 'idempotency-key': idem }),
          },
          body: JSON.stringify(body),
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return { status: response.status, body: (await response.json()) as any };
      };
      const keyFor = async (principal: string, role: string): Promise<string> => {
        const answer = await call('/v1/keys', ops, { principal, role });
        expect(answer.status).toBe(201);
        return answer.body.key as string;
      };

      // Agents, each with a key and a funded treasury whose casino takes a staked bet (lottery sizing).
      const config = TreasuryConfigCodec.encode({ ...agentPreset(), sizing: 'lottery' });
      const agents: { id: string; key: string }[] = [];
      for (let i = 1; i <= AGENTS; i++) {
        const id = `agent-${i}`;
        const key = await keyFor(id, 'agent');
        expect(
          (await call(`/v1/treasuries/${id}/commands`, ops, { type: 'OpenTreasury', config }, `open-${id}`)).status,
        ).toBe(201);
        expect(
          (await call(`/v1/treasuries/${id}/commands`, key, { type: 'Deposit', amount: '1000000' }, 'fund')).status,
        ).toBe(201);
        agents.push({ id, key });
      }
      const watcher = await keyFor('watcher', 'service');
      const setupDone = Date.now();

      const followers = Array.from({ length: FOLLOWERS }, () => new Follower(url, watcher));
      for (const f of followers) f.start();

      const gate = new Gate();
      let loading = true;
      const requests: Request[] = [];
      const failures: string[] = [];

      const settle = async (request: Request, key: string): Promise<void> => {
        for (let attempt = 0; attempt < 1000; attempt++) {
          try {
            const response = await fetch(`${url}/v1/treasuries/${request.agent}/commands`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${key}`,
                'content-type': 'application/json',
                'idempotency-key': request.idempotencyKey,
              },
              body: JSON.stringify(request.body),
            });
            const answer = (await response.json()) as { code?: string };
            // Stopping (503) or a lost race for the stream, retried: the same key is the same command.
            if (response.status === 503 || (response.status === 409 && answer.code === 'CONFLICT_RETRIES_EXHAUSTED')) {
              request.unknown++;
              await sleep(20);
              continue;
            }
            request.status = response.status;
            request.answer = answer;
            if (response.status >= 500 || (response.status >= 300 && response.status !== 422))
              failures.push(`${request.idempotencyKey}: ${response.status} ${JSON.stringify(answer)}`);
            return;
          } catch {
            // No answer: the command may or may not have been committed. Keep it, and send it again once the
            // server is back.
            request.unknown++;
            await gate.wait();
            await sleep(10);
          }
        }
        failures.push(`${request.idempotencyKey}: no answer after 1000 attempts`);
      };

      const client = async (c: number): Promise<void> => {
        const agent = agents[c % AGENTS]!;
        for (let seq = 0; loading; seq++) {
          const idempotencyKey = `c${c}-${seq}`;
          const body: Body =
            seq % 3 === 0
              ? { type: 'Deposit', amount: '10' }
              : seq % 3 === 1
                ? { type: 'Withdraw', bucket: 'reserve', amount: '1' }
                : { type: 'PlaceBet', betId: `c${c}-${seq}`, game: 'coin_flip', stake: '1' };
          const request: Request = {
            agent: agent.id,
            idempotencyKey,
            body,
            commandId: commandIdOf(agent.id, idempotencyKey),
            unknown: 0,
          };
          requests.push(request);
          await settle(request, agent.key);
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

      const rounds: { killedAt: number; exitMs: number; listeningMs: number; readyMs: number; inFlight: number }[] = [];
      for (let round = 0; round < KILLS; round++) {
        await sleep(LOAD_MS);
        const inFlightBefore = requests.filter((r) => r.status === undefined).length;
        gate.close();
        const killedAt = Date.now();
        current.child.kill('SIGKILL');
        const exit = await current.exited;
        expect(exit.signal).toBe('SIGKILL');
        const exitMs = Date.now() - killedAt;
        const restartAt = Date.now();
        // The writer lock is an fcntl lock the kernel dropped with the process: the same file opens again at once.
        current = await serve(db, port);
        expect(current.url).toBe(url);
        const listeningMs = Date.now() - restartAt;
        await waitReady(url);
        const readyMs = Date.now() - restartAt;
        gate.reopen();
        rounds.push({ killedAt: killedAt - t0, exitMs, listeningMs, readyMs, inFlight: inFlightBefore });
      }
      await sleep(LOAD_MS);
      loading = false;
      await Promise.all(clients);

      // The followers catch up with the head (the process managers settle first), then the server stops cleanly.
      const reader = openSqliteStore(db, { readonly: true });
      let head = -1;
      let steady = 0;
      for (let i = 0; i < 400 && steady < 5; i++) {
        await sleep(50);
        const now = await reader.headPosition();
        steady = now === head && followers.every((f) => f.last() === now) ? steady + 1 : 0;
        head = now;
      }
      await reader.close();
      expect(followers.map((f) => f.last())).toEqual(followers.map(() => head));
      for (const f of followers) f.finishAfterThisStream();
      const stopAt = Date.now();
      current.child.kill('SIGTERM');
      expect((await current.exited).code).toBe(0);
      const stopMs = Date.now() - stopAt;
      await Promise.all(followers.map((f) => f.stop()));

      // The store, read with the library once no server holds it.
      const store = openSqliteStore(db);
      const byCommand = new Map<string, RecordedEvent[]>();
      let events = 0;
      let finalHead = 0;
      try {
        for await (const e of store.readAll()) {
          events++;
          finalHead = e.position;
          const id = String(e.metadata.commandId);
          byCommand.set(id, [...(byCommand.get(id) ?? []), e]);
        }
      } finally {
        await store.close();
      }

      expect(failures).toEqual([]);
      expect(requests.every((r) => r.status !== undefined)).toBe(true);
      const acknowledged = requests.filter((r) => r.status! >= 200 && r.status! < 300);
      const refused = requests.filter((r) => r.status === 422);
      const retried = requests.filter((r) => r.unknown > 0);
      const inStore = (r: Request) => byCommand.get(r.commandId) ?? [];

      // Every acknowledged command: its events, once, where its answer said.
      const wrong: string[] = [];
      for (const r of acknowledged) {
        const found = inStore(r);
        const positions = found.map((e) => e.position);
        if (
          r.answer.commandId !== r.commandId ||
          found.length !== r.answer.events.length ||
          found.length === 0 ||
          positions.at(-1) !== r.answer.position ||
          found.at(-1)!.revision !== r.answer.revision ||
          positions.some((p, i) => p !== positions[0]! + i)
        )
          wrong.push(
            `${r.idempotencyKey} (${r.status}, unknown ${r.unknown}): answer ${JSON.stringify(r.answer)} vs ${JSON.stringify(positions)}`,
          );
      }
      expect(wrong).toEqual([]);
      // A refusal the rules record is in the store once too (one CommandRejected).
      expect(refused.filter((r) => inStore(r).length > 1).map((r) => r.idempotencyKey)).toEqual([]);
      // Nothing is in the store under a client's key that no answer accounted for.
      const answered = new Set(requests.map((r) => r.commandId));
      const orphans = [...byCommand.keys()].filter(
        (id) => /^idem\.[0-9a-f]{16}\.c\d+-\d+$/.test(id) && !answered.has(id),
      );
      expect(orphans).toEqual([]);
      // The kills did leave requests without an answer, and their retries settled them.
      expect(retried.length).toBeGreaterThan(0);
      expect(retried.every((r) => r.status !== undefined)).toBe(true);

      // Followers: strictly increasing, no duplicate, and exactly 1..head after the final catch-up.
      for (const f of followers) {
        expect(f.mismatched).toEqual([]);
        expect(f.ids.every((id, i) => id === i + 1)).toBe(true);
        expect(f.ids.length).toBe(finalHead);
        expect(f.connects).toBeGreaterThanOrEqual(KILLS + 1);
      }
      expect(finalHead).toBe(events);
      expect(finalHead).toBe(head);

      const audit = ballast('audit', '--db', db);
      expect({ code: audit.code, err: audit.err }).toEqual({ code: 0, err: '' });

      const stats = {
        kills: KILLS,
        setupMs: setupDone - t0,
        requests: requests.length,
        acknowledged: acknowledged.length,
        refused: refused.length,
        retriedAfterUnknown: retried.length,
        retriedAndReplayed: retried.filter((r) => r.answer?.replayed === true).length,
        retriedAndCommittedFresh: retried.filter((r) => r.status === 201).length,
        events,
        rounds,
        stopMs,
        followers: followers.map((f) => ({
          events: f.ids.length,
          connects: f.connects,
          closings: f.closings,
          refused: f.refused.length,
        })),
        totalMs: Date.now() - t0,
      };
      process.stdout.write(`kill-restart: ${JSON.stringify(stats)}\n`);
    },
    60_000 + KILLS * 20_000,
  );
});
