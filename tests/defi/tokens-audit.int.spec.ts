import { defiPreset, TreasuryConfigCodec } from '@ballast/domain';
import { auditStore, openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** G6 with tokens on chains: a deposited token and its swaps balance the books in a real SQLite file. */
describe('tokens on chains through the engine', () => {
  it('a token deposit, a price move and swaps both ways audit, and the holdings account holds their cost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-tokens-'));
    const store = openSqliteStore(join(dir, 'tokens.db'));
    let now = Date.UTC(2026, 0, 1);
    const ballast = openBallast({ store, clock: { now: () => (now += 60_000) } });
    let n = 0;
    const send = async (command: Record<string, unknown>) => {
      const out = await ballast.treasuries.execute('t', command as never, { commandId: `c${++n}` });
      if (E.isLeft(out)) throw new Error(`${String(command.type)}: ${out.left.code} ${out.left.message}`);
      return out.right.events.map((e) => e.type);
    };
    const feed = (price: string) => ({
      type: 'RecordPrices',
      observedAt: now,
      prices: [{ symbol: 'SOL', price }],
      source: 'token-feed',
    });
    await send({ type: 'OpenTreasury', config: { ...TreasuryConfigCodec.encode(defiPreset()), policy: {} } });
    await send({ type: 'Deposit', amount: '400000' });
    await send(feed('150'));
    expect(await send({ type: 'DepositAsset', asset: 'SOL@solana', quantity: '100' })).toContain('AssetDeposited');
    await send(feed('180'));
    const swap = { type: 'Swap', gasGwei: '20', gasFee: '1' };
    await send({ ...swap, swapId: 's1', sell: 'SOL@solana', buy: 'USDC', amount: '40', filled: '7190' });
    await send({ ...swap, swapId: 's2', sell: 'USDC', buy: 'SOL', amount: '1800', filled: '9.99' });
    const t = (await ballast.treasuries.load('t')).state.treasury;
    expect(Object.keys(t.holdings!).sort()).toEqual(['SOL', 'SOL@solana']);
    const audit = await auditStore(store);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (!audit.ok) throw new Error(JSON.stringify(audit.problem));
  });
});
