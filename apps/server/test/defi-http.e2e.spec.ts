import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defiPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openApiDocument } from '../src/openapi/openapi-document';
import { documentAjv } from './openapi-ajv';
import { startTestServer, type TestServer } from './server-fixture';

// The DeFi treasury (issue 16) as a new user reaches it over HTTP: a real server on loopback over a SQLite file.
// There is no preset name over HTTP: OpenTreasury carries the whole config, so examples/open-defi-treasury.json
// is the `defi` preset written out (the README sends it with curl; the first test keeps it equal to `defiPreset()`).
const DEFI_CONFIG = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'examples', 'open-defi-treasury.json'), 'utf8'),
).config as Record<string, unknown>;

const { responseErrors } = documentAjv(openApiDocument());
const COMMANDS = '/v1/treasuries/{id}/commands';

/** 10,000 USDC for BTC at the reading's 60,000: the quote gives 0.1666…; 0.1665 is 0.1% slippage, within 0.5%. */
const SWAP = {
  type: 'Swap',
  swapId: 's1',
  sell: 'USDC',
  buy: 'BTC',
  amount: '10000',
  filled: '0.1665',
  gasGwei: '30',
  gasFee: '5',
};

describe('the DeFi treasury over HTTP (issue 16)', () => {
  let s: TestServer;
  let ops: string;
  let alice: string;
  let agent: string;
  let observedAt: number;
  const send = (key: string, body: unknown) => s.call('POST', '/v1/treasuries/desk-1/commands', { key, body });
  const types = (body: { events: { type: string }[] }) => body.events.map((e) => e.type);

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    alice = (await s.keyFor('alice', 'operator')).key;
    agent = (await s.keyFor('desk-1', 'agent')).key;
  });
  afterAll(() => s.close());

  it('the config in the body is the defi preset; an operator opens the treasury with it and the agent deposits', async () => {
    expect(DEFI_CONFIG).toEqual(TreasuryConfigCodec.encode(defiPreset()));
    expect((await send(agent, { type: 'OpenTreasury', config: DEFI_CONFIG })).status).toBe(403);
    const opened = await send(ops, { type: 'OpenTreasury', config: DEFI_CONFIG });
    expect(opened.status).toBe(201);
    expect(opened.body.events).toEqual([expect.objectContaining({ type: 'TreasuryOpened', config: DEFI_CONFIG })]);
    const deposited = await send(agent, { type: 'Deposit', amount: '400000' });
    expect(deposited.status).toBe(201);
    expect(deposited.body.events).toEqual([
      expect.objectContaining({ type: 'FundsDeposited', bucket: 'baseYield', amount: '240000' }),
      expect.objectContaining({ type: 'FundsDeposited', bucket: 'tactical', amount: '160000' }),
    ]);
  });

  it('a market reading (an operator’s) is recorded with the rules’ signal and its reasons, read back from the log', async () => {
    observedAt = Date.now() - 60_000;
    const snapshot = {
      observedAt,
      btcPrice: '60000',
      ethPrice: '3000',
      mvrvZ: '0.8',
      fundingRate: '0.0001',
      fearGreed: '20',
      source: 'example-feed',
    };
    const byAgent = await send(agent, { type: 'RecordMarket', snapshot });
    expect(byAgent).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(byAgent.body.message).toContain('it needs an operator key');

    const recorded = await send(ops, { type: 'RecordMarket', snapshot });
    expect(recorded.status).toBe(201);
    expect(types(recorded.body)).toEqual(['MarketObserved', 'SignalIssued']);
    const signal = {
      type: 'SignalIssued',
      advisor: 'rules',
      phase: 'accumulation',
      mode: 'aggressive',
      sell: '0',
      target: { baseYield: '0.6', BTC: '0.24', ETH: '0.16', USDC: '0' },
      confidence: '0.7',
      reasons: [
        'phase accumulation (MVRV Z-score 0.8)',
        'fear & greed 20 below 25: extreme fear, buy',
        'mode aggressive',
      ],
    };
    expect(recorded.body.events[1]).toMatchObject(signal);

    // Read back: the treasury's events over HTTP, as an operator reads the log.
    const page = await s.call('GET', '/v1/events?from=1&limit=100', { key: ops });
    expect(page.status).toBe(200);
    const issued = (page.body.events as { streamId: string; type: string; data: unknown }[]).filter(
      (e) => e.streamId === 'treasury-desk-1' && e.type === 'SignalIssued',
    );
    expect(issued).toEqual([expect.objectContaining({ data: expect.objectContaining({ reasons: signal.reasons }) })]);
  });

  it('a swap buying BTC within the caps is accepted (201, Swapped); an agent may not report a fill (403)', async () => {
    const byAgent = await send(agent, SWAP);
    expect(byAgent).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const swapped = await send(ops, SWAP);
    expect(swapped.status).toBe(201);
    expect(types(swapped.body)).toEqual(['OutflowChecked', 'Swapped']);
    expect(swapped.body.events[1]).toMatchObject({
      swapId: 's1',
      sell: 'USDC',
      buy: 'BTC',
      sold: '10000',
      bought: '0.1665',
      priceBuy: '60000',
      slippage: '0.001',
      gasFee: '5',
      cost: '10000',
    });
  });

  it('a fill beyond 0.5% slippage is refused 422 SLIPPAGE_EXCEEDED with its numbers', async () => {
    const refused = await send(ops, { ...SWAP, swapId: 's2', filled: '0.16' });
    expect(refused.status).toBe(422);
    expect(responseErrors(COMMANDS, 'POST', 422, refused.body)).toBeNull();
    expect(refused.body).toMatchObject({
      code: 'SLIPPAGE_EXCEEDED',
      details: {
        expectedOut: expect.stringMatching(/^0\.16666666666/),
        filledOut: '0.16',
        minOut: expect.stringMatching(/^0\.16583333333/),
        slippage: '0.04',
        maxSlippage: '0.005',
      },
      position: expect.any(Number),
    });
  });

  it('gas above 100 gwei is refused 422 GAS_TOO_HIGH', async () => {
    const refused = await send(ops, { ...SWAP, swapId: 's3', gasGwei: '150' });
    expect(refused).toMatchObject({
      status: 422,
      body: { code: 'GAS_TOO_HIGH', details: { gasGwei: '150', maxGasGwei: '100' } },
    });
  });

  it('a swap above 50,000 is held (202 pending); an agent cannot approve it, another operator executes it', async () => {
    const held = await send(ops, { ...SWAP, swapId: 's4', amount: '60000', filled: '0.999' });
    expect(held.status).toBe(202);
    expect(responseErrors(COMMANDS, 'POST', 202, held.body)).toBeNull();
    expect(types(held.body)).toEqual(['ApprovalRequested']);
    // The swap and its gas count toward the threshold.
    expect(held.body.pending).toEqual({
      requestId: 'req-1',
      amount: '60005',
      threshold: '50000',
      required: 1,
      approvers: [],
      expiresAt: expect.any(Number),
    });
    const listed = await s.call(
      'GET',
      `/v1/read-models/pending-approvals?waitFor=${held.body.position}&timeoutMs=20000`,
      { key: ops },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.state).toEqual([
      expect.objectContaining({
        treasuryId: 'desk-1',
        requestId: 'req-1',
        command: expect.objectContaining({ type: 'Swap', swapId: 's4' }),
      }),
    ]);

    const byAgent = await send(agent, { type: 'ApproveRequest', requestId: 'req-1', approver: 'desk-1' });
    expect(byAgent).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    // Four eyes: the operator who sent the swap cannot approve it.
    const bySender = await send(ops, { type: 'ApproveRequest', requestId: 'req-1', approver: 'ops' });
    expect(bySender).toMatchObject({ status: 403, body: { code: 'SELF_APPROVAL' } });

    const approved = await send(alice, { type: 'ApproveRequest', requestId: 'req-1', approver: 'alice' });
    expect(approved.status).toBe(201);
    expect(approved.body.pending).toBeUndefined();
    expect(types(approved.body)).toEqual(['RequestApproved', 'RequestExecuted', 'OutflowChecked', 'Swapped']);
    expect(approved.body.events[3]).toMatchObject({ swapId: 's4', sold: '60000', bought: '0.999', cost: '60000' });
  }, 30_000); // the read model's waitFor alone takes about a second, and several under a loaded machine

  it('the agent reads its treasury back: BTC holdings at cost, the last reading, the request executed', async () => {
    const read = await s.call('GET', '/v1/treasuries/desk-1', { key: agent });
    expect(read.status).toBe(200);
    const t = read.body.state.treasury;
    expect(t.holdings).toEqual({ BTC: { quantity: '1.1655', cost: '70000' } });
    expect(t.market).toMatchObject({ lastObservedAt: observedAt, prices: { BTC: '60000', ETH: '3000' } });
    expect(t.controls.requests['req-1']).toMatchObject({ status: 'executed', approvedBy: ['alice'] });
    expect(t.ledger).toMatchObject({ deposited: '400000', fees: '10' });
    // 400,000 less 70,000 paid for BTC and 10 of gas: the sleeve's holdings count toward its share, so nothing was
    // rebalanced and the base kept its 240,000.
    expect(t.buckets).toEqual({ baseYield: '240000', tactical: '89990' });
    expect(read.body.state.risk.status).toBe('ACTIVE');
  });

  it('yield venues: an operator places base money at a venue’s quote; the agent takes it back, never quotes', async () => {
    const deposit = { type: 'DepositToVenue', venueId: 'aave-usdc', kind: 'lending', amount: '40000', apy: '0.065' };
    expect(await send(agent, deposit)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const placed = await send(ops, deposit);
    expect(placed.status).toBe(201);
    expect(types(placed.body)).toEqual(['OutflowChecked', 'VenueDeposited']);
    const tooMuch = await send(ops, { ...deposit, venueId: 'curve', kind: 'liquidity-pool', amount: '200000.01' });
    expect(tooMuch).toMatchObject({ status: 422, body: { code: 'INSUFFICIENT_FUNDS', details: { idle: '200000' } } });
    const back = await send(agent, { type: 'WithdrawFromVenue', venueId: 'aave-usdc', amount: '10000' });
    expect(back.status).toBe(201);
    expect(types(back.body)).toContain('VenueWithdrawn');
    const read = await s.call('GET', '/v1/treasuries/desk-1', { key: agent });
    expect(read.body.state.treasury.venues['aave-usdc']).toMatchObject({ kind: 'lending', apy: '0.065' });
  });

  it('tokens on chains: an operator records a token feed and a balance found on a chain; the portfolio values it', async () => {
    const feed = {
      type: 'RecordPrices',
      observedAt: Date.now() - 1000,
      prices: [{ symbol: 'SOL', price: '150' }],
      source: 'token-feed',
    };
    expect(await send(agent, feed)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await send(ops, feed)).status).toBe(201);
    const found = { type: 'DepositAsset', asset: 'SOL@solana', quantity: '100' };
    expect(await send(agent, found)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const deposited = await send(ops, found);
    expect(deposited.status).toBe(201);
    expect(deposited.body.events[0]).toMatchObject({ type: 'AssetDeposited', price: '150', cost: '15000' });
    const bad = await send(ops, { ...found, asset: 'USDC@base' });
    expect(bad.status).toBe(400);
    const read = await s.call('GET', `/v1/read-models/portfolios?waitFor=${deposited.body.position}`, { key: ops });
    expect(read.status).toBe(200);
    const mine = read.body.state.find((p: { treasuryId: string }) => p.treasuryId === 'desk-1');
    expect(mine.holdings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ asset: 'SOL@solana', symbol: 'SOL', chain: 'solana', price: '150', value: '15000' }),
        expect.objectContaining({ asset: 'BTC', quantity: '1.1655', price: '60000' }),
      ]),
    );
  }, 30_000);
});
