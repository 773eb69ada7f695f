import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  type InputIssue,
  decodeInput,
  InstantCodec,
  instantToIso,
  NewEventCodec,
  PositiveMoneyFromString,
  StreamIdCodec,
  strict,
} from '../src';

const Deposit = strict({ treasuryId: StreamIdCodec, amount: PositiveMoneyFromString }, { memo: t.string }, 'Deposit');
const decodeDeposit = decodeInput(Deposit, 'deposit');

const issues = (result: E.Either<{ issues: readonly InputIssue[] }, unknown>): readonly InputIssue[] => {
  if (E.isRight(result)) throw new Error('expected a refusal');
  return result.left.issues;
};

describe('boundary codecs name the path of every problem', () => {
  it('decodes a good command into typed values', () => {
    const result = decodeDeposit({ treasuryId: 'treasury-a', amount: '10.25' });
    expect(E.isRight(result) && result.right.amount.toFixed()).toBe('10.25');
  });

  it('refuses unknown fields instead of dropping them', () => {
    expect(issues(decodeDeposit({ treasuryId: 'treasury-a', amount: '1', amout: '2' }))).toEqual([
      { path: 'amout', message: 'unknown field (allowed: treasuryId, amount, memo)' },
    ]);
  });

  it('reports every bad field with its path', () => {
    expect(issues(decodeDeposit({ treasuryId: '$all', amount: '1.0000001' }))).toEqual([
      { path: 'treasuryId', message: expect.stringContaining('is not valid') },
      { path: 'amount', message: expect.stringContaining('7 decimal places') },
    ]);
  });

  it('refuses wrong types and explicit undefined', () => {
    expect(issues(decodeDeposit({ treasuryId: 7, amount: '1' }))[0]).toEqual({
      path: 'treasuryId',
      message: expect.stringContaining('got number 7'),
    });
    expect(issues(decodeDeposit({ treasuryId: 'a', amount: '1', memo: undefined }))[0]?.path).toBe('memo');
    expect(issues(decodeDeposit(null))[0]).toEqual({ path: '', message: 'expected an object, got null' });
  });

  it('names nested paths inside arrays of events', () => {
    const Batch = strict({ events: t.array(NewEventCodec) }, {}, 'Batch');
    const result = decodeInput(
      Batch,
      'batch',
    )({
      events: [
        { type: 'Ok', version: 1, data: {} },
        { type: 'bad type', version: 0, data: { a: 1.5 } },
      ],
    });
    expect(issues(result).map((i) => i.path)).toEqual(['events[1].type', 'events[1].version', 'events[1].data.a']);
  });
});

describe('instants', () => {
  it('accepts epoch ms and ISO UTC strings to the same instant', () => {
    const fromIso = InstantCodec.decode('2026-01-02T03:04:05.006Z');
    const fromMs = InstantCodec.decode(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    expect(fromIso).toEqual(fromMs);
    expect(E.isRight(fromIso) && instantToIso(fromIso.right)).toBe('2026-01-02T03:04:05.006Z');
  });

  it.each([
    -1,
    1.5,
    NaN,
    Infinity,
    '2026-02-30T00:00:00Z',
    '2026-01-01',
    '2026-01-01T00:00:00+02:00',
    'yesterday',
    null,
  ])('refuses %p', (input) => {
    expect(E.isLeft(InstantCodec.decode(input))).toBe(true);
  });
});
