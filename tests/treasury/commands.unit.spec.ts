import { decodeInput, TreasuryCommandCodec } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { T0 } from '../support/treasury-fixtures';

const decode = decodeInput(TreasuryCommandCodec, 'command');

describe('G5: treasury commands are checked at the boundary', () => {
  it.each([
    ['a float amount', { type: 'Deposit', at: T0, amount: 10.5 }, 'decimal string'],
    ['NaN', { type: 'Deposit', at: T0, amount: NaN }, 'decimal string'],
    ['"Infinity"', { type: 'Deposit', at: T0, amount: 'Infinity' }, 'plain decimal'],
    ['"1e999"', { type: 'Deposit', at: T0, amount: '1e999' }, 'plain decimal'],
    ['a negative deposit', { type: 'Deposit', at: T0, amount: '-5' }, 'greater than 0'],
    ['seven decimals', { type: 'Withdraw', at: T0, bucket: 'reserve', amount: '1.0000001' }, '7 decimal places'],
    ['an unknown field', { type: 'Deposit', at: T0, amount: '5', currency: 'EUR' }, 'unknown field'],
    ['a missing time', { type: 'Deposit', amount: '5' }, 'at'],
    ['an unknown game', { type: 'PlaceBet', at: T0, betId: 'b1', game: 'slots' }, 'game'],
    [
      'a stop-loss above 100%',
      {
        type: 'OpenPosition',
        at: T0,
        positionId: 'p',
        symbol: 'ETH-USD',
        side: 'long',
        entryPrice: '1',
        leverage: 1,
        stopLoss: '1.5',
        takeProfit: '3',
        size: '1',
      },
      'stopLoss',
    ],
    ['a zero price', { type: 'MarkPrice', at: T0, symbol: 'ETH-USD', price: '0' }, 'price'],
    ['an unknown command', { type: 'Borrow', at: T0, amount: '5' }, ''],
  ])('refuses %s', (_label, command, hint) => {
    const result = decode(command);
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left.code).toBe('INVALID_INPUT');
      expect(result.left.message).toContain(hint);
    }
  });
});
