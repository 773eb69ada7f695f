import { canonicalJson, type RecordedEvent } from '@ballast/domain';
import {
  type Ballast,
  type DeadLetter,
  drainProcessManagers,
  type ManagerCursor,
  memoryCheckpoints,
  openBallast,
  type ProcessManager,
  type ReactionOutcome,
  runProcessManager,
} from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { collect } from '../event-store/fixtures';
import { engineOn, type EngineFixture, openTreasury, STORES } from './engine-fixtures';

const HOUR = 3_600_000;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A manager with a bug: on every TreasuryOpened it asks for a malformed deposit and one on an id too long. */
const brokenManager: ProcessManager<null> = {
  name: 'broken',
  version: 1,
  initial: null,
  react: (state, event: RecordedEvent) => ({
    state,
    reactions:
      event.type !== 'TreasuryOpened'
        ? []
        : [
            // The bug, which the typed Reaction now catches at compile time; the engine still refuses it at run time.
            {
              kind: 'treasury',
              id: event.streamId.slice('treasury-'.length),
              command: { type: 'Deposit', amount: 12.5 as unknown as string },
              key: `float-${event.position}`,
            },
            {
              kind: 'treasury',
              id: 'x'.repeat(101),
              command: { type: 'Deposit', amount: '1' },
              key: `long-${event.position}`,
            },
          ],
  }),
};

/** The store as a racing writer sees it: the command record checked before the append is not there yet. */
const racing = (store: EventStore): EventStore => {
  let hidden = 1;
  return { ...store, commandResult: async (commandId) => (hidden-- > 0 ? undefined : store.commandResult(commandId)) };
};

describe.each(STORES)('exactly once at the engine over the %s store', (_name, open) => {
  let f: EngineFixture;
  beforeEach(() => {
    f = engineOn(open);
  });
  afterEach(() => f.dispose());

  const ok = async (ballast: Ballast, id: string, command: Record<string, unknown>, commandId: string) => {
    const result = await ballast.treasuries.executeJson(id, command, { commandId });
    if (E.isLeft(result)) throw new Error(`${commandId}: ${result.left.code} ${result.left.message}`);
    return result.right;
  };
  const refusal = async (p: Promise<E.Either<unknown, unknown>>) => {
    const result = await p;
    if (E.isRight(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.right)}`);
    return result.left as {
      code: string;
      message: string;
      details?: Record<string, unknown>;
      issues?: { path: string; message: string }[];
      recorded?: { type: string }[];
    };
  };

  it('stores a digest of the stream and the command (without at) in every appended event', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    await ok(f.ballast, 'alpha', { type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    const expected = sha256(
      canonicalJson({ stream: 'treasury-alpha', command: { type: 'Deposit', amount: '100', bucket: 'casino' } }),
    );
    const deposits = (await collect(f.store.readStream('treasury-alpha'))).filter(
      (e) => e.metadata.commandId === 'dep-1',
    );
    expect(deposits.map((e) => e.metadata.commandDigest)).toEqual([expected]);
  });

  it('refuses a command id reused for a different command on the same stream, naming the first stream, and appends nothing', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    await ok(f.ballast, 'alpha', { type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    const head = await f.store.headPosition();
    const reused = await refusal(
      f.ballast.treasuries.execute(
        'alpha',
        { type: 'Deposit', amount: '200', bucket: 'casino' },
        { commandId: 'dep-1' },
      ),
    );
    expect(reused).toMatchObject({
      code: 'COMMAND_ID_REUSED',
      details: { commandId: 'dep-1', firstStreamId: 'treasury-alpha', streamId: 'treasury-alpha' },
      recorded: [],
    });
    expect(reused.message).toContain('treasury-alpha');
    expect(await f.store.headPosition()).toBe(head);
  });

  it('refuses a command id reused on another stream, even for an identical command, and appends nothing', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    const head = await f.store.headPosition();
    const reused = await refusal(f.ballast.treasuries.execute('beta', openTreasury, { commandId: 'open' }));
    expect(reused).toMatchObject({
      code: 'COMMAND_ID_REUSED',
      details: { commandId: 'open', firstStreamId: 'treasury-alpha', streamId: 'treasury-beta' },
    });
    expect(await f.store.headPosition()).toBe(head);
    expect(await f.store.streamHead('treasury-beta')).toBeUndefined();
  });

  it('answers the same command retried later with its first result, replayed, appending nothing', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    const first = await ok(f.ballast, 'alpha', { type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    f.clock.advance(HOUR);
    const head = await f.store.headPosition();
    const again = await ok(f.other, 'alpha', { type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    expect(again).toEqual({ ...first, replayed: true });
    expect(await f.store.headPosition()).toBe(head);
  });

  it('answers a retried recorded refusal as the same refusal, with the time-passing events it recorded', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    await ok(f.ballast, 'alpha', { type: 'Deposit', amount: '1000' }, 'dep');
    f.clock.advance(25 * HOUR);
    const bet = { type: 'PlaceBet', betId: 'b1', game: 'coin_flip', stake: '100' } as const;
    const first = await refusal(f.ballast.treasuries.execute('alpha', bet, { commandId: 'bet-big' }));
    expect(first.recorded!.map((e) => e.type)).toEqual(['DailyWindowOpened', 'CommandRejected']);
    const head = await f.store.headPosition();
    const again = await refusal(f.other.treasuries.execute('alpha', bet, { commandId: 'bet-big' }));
    expect(again).toEqual({
      code: first.code,
      message: 'PlaceBet was refused: BET_ABOVE_CAP (replayed)',
      details: first.details,
      recorded: first.recorded,
    });
    expect(await f.store.headPosition()).toBe(head);
  });

  it("compares a racing writer's command the same way: the same command gets the first result, another is refused", async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    const first = await ok(f.ballast, 'alpha', { type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    f.clock.advance(HOUR);
    const head = await f.store.headPosition();
    const same = await ok(
      openBallast({ store: racing(f.store), clock: f.clock }),
      'alpha',
      { type: 'Deposit', amount: '100', bucket: 'casino' },
      'dep-1',
    );
    expect(same).toEqual({ ...first, replayed: true });
    const other = await refusal(
      openBallast({ store: racing(f.store), clock: f.clock }).treasuries.execute(
        'alpha',
        { type: 'Deposit', amount: '5' },
        { commandId: 'dep-1' },
      ),
    );
    expect(other).toMatchObject({
      code: 'COMMAND_ID_REUSED',
      details: { commandId: 'dep-1', firstStreamId: 'treasury-alpha' },
    });
    expect(await f.store.headPosition()).toBe(head);
  });

  it('compares only the stream for events written before digests existed', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    // An older Ballast's write: the same event, but no commandDigest in its metadata.
    const [opened] = await collect(f.store.readStream('treasury-alpha'));
    const legacy = await f.store.append(
      'treasury-legacy',
      [{ type: opened!.type, version: opened!.version, data: opened!.data }],
      { expectedRevision: 'no_stream', commandId: 'legacy-open' },
    );
    expect(E.isRight(legacy)).toBe(true);
    const head = await f.store.headPosition();
    expect(await ok(f.ballast, 'legacy', openTreasury, 'legacy-open')).toMatchObject({
      streamId: 'treasury-legacy',
      replayed: true,
      events: [{ type: 'TreasuryOpened' }],
    });
    expect(
      await refusal(f.ballast.treasuries.execute('gamma', openTreasury, { commandId: 'legacy-open' })),
    ).toMatchObject({ code: 'COMMAND_ID_REUSED', details: { firstStreamId: 'treasury-legacy' } });
    expect(await f.store.headPosition()).toBe(head);
  });

  it('refuses an aggregate id over 100 characters as INVALID_INPUT naming field, limit and length; nothing appended', async () => {
    const head = await f.store.headPosition();
    const long = await refusal(f.ballast.treasuries.execute('a'.repeat(101), openTreasury, { commandId: 'open-long' }));
    expect(long).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'id', message: 'is 101 characters; at most 100 are allowed' }],
    });
    expect(long.message).toContain('id: is 101 characters; at most 100 are allowed');
    const malformed = await refusal(
      f.ballast.pools.executeJson('-main pool', { type: 'Tick' }, { commandId: 'pool-bad' }),
    );
    expect(malformed).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'id' }] });
    expect(await f.store.headPosition()).toBe(head);
    await ok(f.ballast, 'a'.repeat(100), openTreasury, 'open-100');
  });

  it('refuses a command id over 128 characters, and a malformed actor, as INVALID_INPUT; nothing appended', async () => {
    const head = await f.store.headPosition();
    const long = await refusal(f.ballast.treasuries.execute('alpha', openTreasury, { commandId: 'c'.repeat(129) }));
    expect(long).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ path: 'commandId', message: 'is 129 characters; at most 128 are allowed' }],
    });
    expect(long.message).toContain('commandId: is 129 characters; at most 128 are allowed');
    const actor = await refusal(
      f.ballast.treasuries.execute('alpha', openTreasury, {
        commandId: 'open',
        actor: 'agent alpha',
        causationId: 'x'.repeat(129),
      }),
    );
    expect(actor.issues!.map((i) => i.path)).toEqual(['actor', 'causationId']);
    expect(await f.store.headPosition()).toBe(head);
    await ok(f.ballast, 'alpha', openTreasury, 'c'.repeat(128));
  });

  it('drain records a reaction refused as INVALID_INPUT as a dead letter, and still reports its outcome', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    const cursor: ManagerCursor = { position: 0, events: 0, states: new Map(), deadLetters: [] };
    const outcomes: ReactionOutcome[] = [];
    await drainProcessManagers(f.ballast, [brokenManager as ProcessManager<unknown>], cursor, (o) => outcomes.push(o));
    expect(cursor.deadLetters).toMatchObject([
      {
        manager: 'broken',
        position: 1,
        code: 'INVALID_INPUT',
        reaction: { key: 'float-1' },
        message: expect.stringContaining('amount'),
      },
      {
        manager: 'broken',
        position: 1,
        code: 'INVALID_INPUT',
        reaction: { key: 'long-1' },
        message: expect.stringContaining('at most 100'),
      },
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['INVALID_INPUT', 'INVALID_INPUT']);
    expect(await f.store.headPosition()).toBe(1);
  });

  it('runProcessManager retries a reaction refused as INVALID_INPUT, then parks it as a dead letter', async () => {
    const checkpoints = memoryCheckpoints();
    const running = await runProcessManager(f.ballast, checkpoints, brokenManager, { maxAttempts: 2, backoffMs: 1 });
    const letters: DeadLetter[] = [];
    running.deadLetters$.subscribe((l) => letters.push(l));
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    await running.whenProcessed(await f.store.headPosition());
    await running.stop();
    expect(letters).toMatchObject([
      {
        position: 1,
        streamId: 'treasury-alpha',
        type: 'TreasuryOpened',
        attempts: 2,
        error: expect.stringContaining('INVALID_INPUT'),
      },
    ]);
    expect(letters[0]!.error).toContain('float-1');
    expect(letters[0]!.error).toContain('long-1');
    expect(await checkpoints.deadLetters('pm-broken')).toHaveLength(1);
  });

  it('gives reactions whose keys differ only past character 128 different command ids, so both happen', async () => {
    await ok(f.ballast, 'alpha', openTreasury, 'open');
    const stem = 'k'.repeat(130);
    const twins: ProcessManager<null> = {
      name: 'twins',
      version: 1,
      initial: null,
      react: (state, event) => ({
        state,
        reactions:
          event.type !== 'TreasuryOpened'
            ? []
            : ['a', 'b'].map((end) => ({
                kind: 'treasury' as const,
                id: 'alpha',
                command: { type: 'Deposit', amount: '1' },
                key: `${stem}-${end}`,
              })),
      }),
    };
    const outcomes: ReactionOutcome[] = [];
    await drainProcessManagers(
      f.ballast,
      [twins as ProcessManager<unknown>],
      { position: 0, events: 0, states: new Map(), deadLetters: [] },
      (o) => outcomes.push(o),
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['committed', 'committed']);
    const ids = new Set(
      (await collect(f.store.readStream('treasury-alpha')))
        .map((e) => e.metadata.commandId)
        .filter((id) => id.startsWith('pm-')),
    );
    expect([...ids]).toEqual([
      `pm-twins-${sha256(`${stem}-a`).slice(0, 40)}`,
      `pm-twins-${sha256(`${stem}-b`).slice(0, 40)}`,
    ]);
  });
});
