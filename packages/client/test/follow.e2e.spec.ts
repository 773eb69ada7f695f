import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { filter, firstValueFrom, type Subscription } from 'rxjs';
import { startTestServer, type TestServer } from '../../../apps/server/test/server-fixture';
import { ballastClient, type BallastClient, type ReadModelView, type WireEvent } from '../src';

const config = TreasuryConfigCodec.encode(agentPreset());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds, polling; fails with `what` after `ms`. */
const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

describe('@ballast/client: live streams as Observables that reconnect and resume', () => {
  let s: TestServer;
  let ops: BallastClient;
  /** The Last-Event-ID of every stream request the client made, in order (undefined: none sent). */
  const resumedFrom: (string | undefined)[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    const recording: typeof fetch = (input, init) => {
      if (String(input).includes('/stream'))
        resumedFrom.push((init?.headers as Record<string, string> | undefined)?.['last-event-id']);
      return fetch(input, init);
    };
    ops = ballastClient({ url: s.url, key: s.operatorKey, fetch: recording });
  });
  afterAll(() => s.close());

  it('follows the log while commands are sent, across a server restart on the same files: positions 1..head, each once', async () => {
    const positions: number[] = [];
    let failed: unknown;
    const subscription: Subscription = ops.follow.events().subscribe({
      next: (e: WireEvent) => positions.push(e.position),
      error: (error: unknown) => (failed = error),
    });
    try {
      expect(await ops.treasuries.execute('follow-1', { type: 'OpenTreasury', config })).toMatchObject({ ok: true });
      const deposits = async (from: number, count: number) => {
        for (let i = from; i < from + count; i++) {
          const answer = await ops.treasuries.execute(
            'follow-1',
            { type: 'Deposit', amount: String(10 + i) },
            { idempotencyKey: `dep-${i}` },
          );
          expect(answer).toMatchObject({ ok: true });
        }
      };
      await deposits(0, 20);
      await until(async () => positions.at(-1) === (await s.head()), 'the events before the restart');
      const before = positions.length;

      await s.stop(); // the stream gets 'closing'; reconnects find nobody listening, and back off
      await sleep(300);
      await s.start(); // the same store files and port
      await deposits(20, 20);
      const head = await s.head();
      await until(() => positions.at(-1) === head, `position ${head} after the restart`);
      await sleep(200); // nothing more comes (no duplicate after the last)

      expect(failed).toBeUndefined();
      expect(positions).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      expect(positions.length).toBeGreaterThan(before);
      // It reconnected, resuming from the last event it delivered before the restart.
      expect(resumedFrom[0]).toBeUndefined();
      expect(resumedFrom).toContain(String(before));
    } finally {
      subscription.unsubscribe();
    }
  }, 60_000);

  it("follows one aggregate's events from a revision, and a read model's view, each value once", async () => {
    const events: number[] = [];
    const aggregate = ops.follow.aggregate('treasury', 'follow-1', { after: 2 }).subscribe((e) => {
      expect(e.streamId).toBe('treasury-follow-1');
      events.push(e.revision);
    });
    const views: ReadModelView[] = [];
    const model = ops.follow.readModel('treasury-overview').subscribe((v) => views.push(v));
    try {
      const deposited = await ops.treasuries.execute('follow-1', { type: 'Deposit', amount: '7' });
      if (!deposited.ok) throw new Error(deposited.code);
      await until(() => events.at(-1) === deposited.revision, `revision ${deposited.revision}`);
      expect(events).toEqual(Array.from({ length: deposited.revision! - 2 }, (_, i) => i + 3));
      await until(() => (views.at(-1)?.position ?? 0) >= deposited.position!, 'the read model to catch up');
      const seen = views.map((v) => v.position);
      expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
      expect(views.at(-1)).toMatchObject({ name: 'treasury-overview', state: expect.anything() });
    } finally {
      aggregate.unsubscribe();
      model.unsubscribe();
    }
  }, 30_000);

  it('a refusal for good errors the Observable (no reconnect loop); unsubscribing ends the request', async () => {
    const created = await ops.keys.create({ principal: 'follow-agent', role: 'agent' });
    if (!created.ok) throw new Error(created.code);
    const agent = ballastClient({ url: s.url, key: created.key });
    await expect(firstValueFrom(agent.follow.events())).rejects.toMatchObject({
      name: 'StreamRefused',
      failure: { status: 403, code: 'FORBIDDEN' },
    });
    const first = await firstValueFrom(ops.follow.events().pipe(filter((e) => e.position === 1)));
    expect(first.position).toBe(1);
  });
});
