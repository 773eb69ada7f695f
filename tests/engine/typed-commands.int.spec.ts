import { AGGREGATE_KINDS, decodeDomain, KINDS, kindOfStream } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { collect } from '../event-store/fixtures';
import { engineOn, type EngineFixture, openTreasury, STORES } from './engine-fixtures';

describe.each(STORES)('typed commands over the %s store', (_name, open) => {
  let f: EngineFixture;
  beforeEach(() => {
    f = engineOn(open);
  });
  afterEach(() => f.dispose());

  it('still decodes JSON from outside: a bad command from unknown is INVALID_INPUT and appends nothing', async () => {
    expect(E.isRight(await f.ballast.treasuries.execute('alpha', openTreasury, { commandId: 'open' }))).toBe(true);
    const head = await f.store.headPosition();
    const json: unknown = JSON.parse('{"type":"Deposit","amount":12.5}');
    const result = await f.ballast.treasuries.executeJson('alpha', json, { commandId: 'bad-json' });
    expect(E.isLeft(result) && result.left).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'amount' }] });
    expect(await f.store.headPosition()).toBe(head);
    expect(await f.store.commandResult('bad-json')).toBeUndefined();
  });

  it('decodes a typed call too: a caller that casts past the types meets the codec', async () => {
    const cast = await f.ballast.pools.execute('main', { type: 'OpenPool', poolId: 'main', config: {} } as never, {
      commandId: 'cast',
    });
    expect(E.isLeft(cast) && cast.left.code).toBe('INVALID_INPUT');
    const wrongKind = await f.ballast.pools.execute('main', { type: 'Tick' } as never, { commandId: 'tick-on-pool' });
    expect(E.isLeft(wrongKind) && wrongKind.left).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('unknown PoolCommand type "Tick"'),
    });
    expect(await collect(f.store.readAll())).toEqual([]);
  });

  it('derives the facades, stream kinds and domain events from the one registry', async () => {
    expect(
      Object.keys(f.ballast)
        .filter((k) => k !== 'store' && k !== 'snapshots')
        .sort(),
    ).toEqual(KINDS.map((k) => k.facade).sort());
    for (const [name, kind] of Object.entries(AGGREGATE_KINDS)) {
      expect(kind.category).toBe(name);
      expect(kindOfStream(`${name}-x`)).toBe(kind);
    }
    await f.ballast.treasuries.execute('alpha', openTreasury, { commandId: 'open' });
    const [recorded] = await collect(f.store.readStream('treasury-alpha'));
    expect(decodeDomain(recorded!)).toMatchObject({ kind: 'treasury', id: 'alpha', event: { type: 'TreasuryOpened' } });
  });
});
