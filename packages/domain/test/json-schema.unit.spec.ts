import Ajv2020 from 'ajv/dist/2020';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import {
  agentPreset,
  COMMAND_DESCRIPTIONS,
  commandInputSchema,
  decimalString,
  defiPreset,
  defaultPoolConfig,
  describeSchema,
  EscrowCommandCodec,
  JSON_SCHEMA_DIALECT,
  JsonSchemaError,
  jsonSchemaOf,
  type JsonSchema,
  MoneyFromString,
  NonNegativeMoneyFromString,
  PoolCommandCodec,
  PoolConfigCodec,
  PositiveMoneyFromString,
  PriceFromString,
  RatioFromString,
  strict,
  TreasuryCommandCodec,
  TreasuryConfigCodec,
} from '../src';
import { decimalPattern } from '../src/codecs/decimal-pattern';

// Strict mode: an unknown keyword or a `required` field without a schema is an error, not a silent pass.
const ajv = new Ajv2020({ strict: true, allErrors: true });
const compile = (schema: JsonSchema) => ajv.compile(schema as object);

const COMMAND_UNIONS = [TreasuryCommandCodec, PoolCommandCodec, EscrowCommandCodec] as const;
const members = (schema: JsonSchema) => schema.oneOf as (JsonSchema & { title: string })[];

describe('JSON Schema of the command codecs (wire form, draft 2020-12)', () => {
  it.each(COMMAND_UNIONS.map((codec) => [codec.name, codec] as const))(
    '%s: the stored form and the client form are valid 2020-12 schemas that compile in strict mode',
    (_, codec) => {
      for (const schema of [jsonSchemaOf(codec), commandInputSchema(codec)]) {
        expect(schema.$schema).toBe(JSON_SCHEMA_DIALECT);
        expect(ajv.validateSchema(schema as object)).toBe(true);
        expect(() => compile(schema)).not.toThrow();
      }
    },
  );

  it.each([TreasuryConfigCodec, PoolConfigCodec].map((codec) => [codec.name, codec] as const))(
    '%s: valid schema, and the presets encode to values it accepts',
    (_, codec) => {
      const schema = jsonSchemaOf(codec);
      expect(ajv.validateSchema(schema as object)).toBe(true);
      const validate = compile(schema);
      const presets: unknown[] =
        codec === TreasuryConfigCodec
          ? [TreasuryConfigCodec.encode(agentPreset()), TreasuryConfigCodec.encode(defiPreset())]
          : [PoolConfigCodec.encode(defaultPoolConfig()), PoolConfigCodec.encode(defaultPoolConfig('micro'))];
      for (const preset of presets) expect(validate(preset)).toBe(true);
    },
  );

  it('a command as a client sends it has no `at`; as stored, `at` is a required epoch-ms integer', () => {
    for (const codec of COMMAND_UNIONS) {
      for (const member of members(commandInputSchema(codec))) {
        expect(Object.keys(member.properties as object)).not.toContain('at');
        expect(member.required).not.toContain('at');
        expect(member.additionalProperties).toBe(false);
        expect(member.required).toContain('type');
      }
      for (const member of members(jsonSchemaOf(codec))) {
        expect((member.properties as Record<string, JsonSchema>).at).toMatchObject({ type: 'integer', minimum: 0 });
        expect(member.required).toContain('at');
      }
    }
  });

  it('PlaceBet as a client sends it', () => {
    const placeBet = members(commandInputSchema(TreasuryCommandCodec)).find((m) => m.title === 'PlaceBet');
    expect(placeBet).toMatchObject({
      title: 'PlaceBet',
      description: COMMAND_DESCRIPTIONS.TreasuryCommand.PlaceBet,
      type: 'object',
      properties: {
        type: { const: 'PlaceBet' },
        betId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$' },
        game: { type: 'string', enum: ['dice_over50', 'coin_flip', 'crash_1.5x', 'crash_2x', 'roulette_red'] },
        stake: { type: 'string', maxLength: 64 },
      },
      required: ['type', 'betId', 'game'],
      additionalProperties: false,
    });
  });

  it('every command of every union has a description, and every description names a command', () => {
    for (const codec of COMMAND_UNIONS) {
      const titles = members(commandInputSchema(codec)).map((m) => m.title);
      const described = COMMAND_DESCRIPTIONS[codec.name as keyof typeof COMMAND_DESCRIPTIONS];
      expect(Object.keys(described).sort()).toEqual([...titles].sort());
    }
  });

  it('a hand-built codec nobody described throws with its name and where it sits, rather than giving {}', () => {
    const Weird = new t.Type<string, string, unknown>('WeirdThing', t.string.is, t.string.validate, String);
    expect(() => jsonSchemaOf(strict({ weird: Weird }, {}, 'Holder'))).toThrow(
      /no JSON Schema for codec WeirdThing \(at Holder > weird\).*describeSchema/,
    );
    expect(() => jsonSchemaOf(t.refinement(t.number, (n) => n > 0, 'Positive'))).toThrow(/refinement Positive/);
    expect(jsonSchemaOf(describeSchema(Weird, { type: 'string' }), { dialect: false })).toEqual({ type: 'string' });
  });

  it('omitting a field an object does not have throws', () => {
    expect(() => jsonSchemaOf(TreasuryConfigCodec, { omit: ['at'] })).toThrow(JsonSchemaError);
    expect(() => jsonSchemaOf(TreasuryConfigCodec, { omit: ['at'] })).toThrow(/cannot omit "at" from TreasuryConfig/);
  });

  it('the standard io-ts combinators', () => {
    const codec = t.type({
      name: t.string,
      count: t.Int,
      tags: t.array(t.keyof({ a: null, b: null })),
      maybe: t.union([t.string, t.undefined]),
      kind: t.union([t.literal('x'), t.literal('y')], 'Kind'),
      scores: t.record(t.string, t.number),
      extra: t.partial({ flag: t.boolean, none: t.null }),
    });
    expect(jsonSchemaOf(codec, { dialect: false })).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        count: { type: 'integer' },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
        maybe: { anyOf: [{ type: 'string' }] },
        kind: { title: 'Kind', type: 'string', enum: ['x', 'y'] },
        scores: { type: 'object', additionalProperties: { type: 'number' } },
        extra: { type: 'object', properties: { flag: { type: 'boolean' }, none: { type: 'null' } } },
      },
      required: ['name', 'count', 'tags', 'kind', 'scores', 'extra'],
    });
  });
});

// ---- the invariant: the schema accepts what the codec accepts (and, where exact, only that) ----

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
const powerOfTen = fc.integer({ min: 0, max: 16 }).map((k) => `1${'0'.repeat(k)}`);
const EDGES = [
  ...['0', '-0', '0.0', '-0.000', '00', '1', '-1', '1.0', '-1.000000', '1.0000001', '0.9999999', '0.1', '0.09'],
  ...['0.000001', '0.0000001', '0.000000000001', '0.0000000000001', '100', '100.5', '1000.000', '1001'],
  ...['1000000000000', '1000000000000.000000000001', '1000000000000000', '1000000000000000.000001'],
  ...['-1000000000000000', '-1000000000000000.1', '999999999999999.999999', '0001000000000000000', '1e3', '+1'],
  ...['.5', '5.', '1,5', ' 1', '', '١'],
];
/** Decimal-looking strings around the codecs' limits: signs, leading zeros, powers of ten, long fractions. */
const decimalish = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '', '-', '+'),
      fc.oneof(digits(1, 3), digits(1, 18), powerOfTen, fc.constantFrom('0', '00')),
      fc.option(
        fc.oneof(
          digits(0, 20),
          digits(1, 4).map((d) => `${'0'.repeat(5)}${d}`),
        ),
        { nil: undefined },
      ),
    )
    .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`),
  fc.constantFrom(...EDGES),
  digits(60, 70),
  fc.string({ maxLength: 6 }),
);

const accepts = (codec: t.Mixed, value: unknown) => E.isRight(codec.decode(value));

describe('the schema accepts what the codec accepts: decimal strings', () => {
  const exactCodecs: t.Mixed[] = [
    MoneyFromString,
    NonNegativeMoneyFromString,
    PositiveMoneyFromString,
    RatioFromString,
    PriceFromString,
    decimalString('funding rate', { min: '-1', max: '1' }),
    decimalString('reward to risk', { min: '0', max: '100' }),
    decimalString('coverage multiple', { min: '0', max: '1000' }),
    decimalString('risk score', { min: '0.1', max: '1' }),
    decimalString('quantity', { min: '0', maxDecimals: 12 }),
    decimalString('negative', { min: '-1000', max: '-0.01', maxDecimals: 4 }),
    decimalString('unbounded', { maxDecimals: 0 }),
  ];
  it.each(exactCodecs.map((codec) => [codec.name, codec] as const))(
    '%s: the pattern accepts exactly the strings the codec accepts',
    (_, codec) => {
      const validate = compile(jsonSchemaOf(codec));
      fc.assert(
        fc.property(decimalish, (s) => {
          expect(validate(s)).toBe(accepts(codec, s));
        }),
        { numRuns: 2000 },
      );
      for (const s of EDGES) expect([s, validate(s)]).toEqual([s, accepts(codec, s)]);
    },
  );

  it('a bound that is not 0 or ±10^k: the pattern is loose (says so) but still accepts all the codec accepts', () => {
    expect(decimalPattern({ min: { value: '0' }, max: { value: '5' }, maxDecimals: 2 }).exact).toBe(false);
    const codec = decimalString('five', { min: '0', max: '5', maxDecimals: 2 });
    const schema = jsonSchemaOf(codec);
    expect(schema.description).toMatch(/≤ 5.*checked on decoding/);
    const validate = compile(schema);
    fc.assert(fc.property(decimalish, (s) => !accepts(codec, s) || validate(s)));
  });
});

// Wire-form commands, mostly valid field by field, so that both valid and invalid commands are common: bad ids,
// amounts, enums and integers, a missing field, an unknown field, a client's `at`.
const mostly = <T, U>(valid: fc.Arbitrary<T>, wild: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: wild, weight: 1 });
const moneyish = mostly(
  fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), digits(0, 6))
    .map(([int, frac]) => (frac === '' ? `${int}` : `${int}.${frac}`)),
  decimalish,
);
const ratioish = mostly(
  fc.oneof(
    digits(1, 6).map((d) => `0.${d}`),
    fc.constantFrom('1', '0.5'),
  ),
  decimalish,
);
const idish = (maxLength: number) =>
  mostly(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}$/),
    fc.oneof(
      fc.constantFrom('', '-x', 'a b', '$all', 'ok', 'a'.repeat(maxLength), 'a'.repeat(maxLength + 1)),
      fc.string({ maxLength: 4 }),
    ),
  );
const intish = (min: number, max: number) =>
  mostly(fc.integer({ min, max }), fc.constantFrom(min - 1, max + 1, 1.5, '3', null));
const bucketish = mostly(fc.constantFrom('reserve', 'trading', 'b2'), fc.constantFrom('Reserve', '', 'a'.repeat(33)));
const withExtra = <T>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(arb, fc.option(fc.constantFrom({ amout: '1' }, { at: 5 }, { type2: 'x' }), { nil: undefined, freq: 8 }))
    .map(([value, extra]) => ({ ...value, ...extra }));

const commands = {
  Deposit: fc.record(
    { type: fc.constant('Deposit'), amount: moneyish, bucket: bucketish },
    { requiredKeys: ['type', 'amount'] },
  ),
  PlaceBet: fc.record(
    {
      type: fc.constant('PlaceBet'),
      betId: idish(64),
      game: mostly(fc.constantFrom('coin_flip', 'crash_1.5x'), fc.constantFrom('poker', 'COIN_FLIP')),
      stake: moneyish,
    },
    { requiredKeys: ['type', 'betId', 'game'] },
  ),
  OpenPosition: fc.record(
    {
      type: fc.constant('OpenPosition'),
      positionId: idish(64),
      symbol: mostly(fc.constantFrom('ETH-USD', 'BTC'), fc.constantFrom('eth-usd', 'ETH-USD-X', 'ABCDEFGHIJKLM')),
      side: mostly(fc.constantFrom('long', 'short'), fc.constant('flat')),
      entryPrice: moneyish,
      leverage: intish(1, 50),
      stopLoss: ratioish,
      takeProfit: ratioish,
      size: moneyish,
      kelly: fc.record({ winRate: ratioish, averageWin: moneyish, averageLoss: moneyish }),
      trailingStop: ratioish,
    },
    { requiredKeys: ['type', 'positionId', 'symbol', 'side', 'entryPrice', 'leverage', 'stopLoss', 'takeProfit'] },
  ),
  JoinPool: fc.record(
    {
      type: fc.constant('JoinPool'),
      agentId: idish(128),
      stake: moneyish,
      coverage: moneyish,
      riskScore: ratioish,
      profile: fc.record({
        jobsCompleted: intish(0, 10_000_000),
        jobsFailed: intish(0, 10_000_000),
        claimsLast90d: intish(0, 10_000_000),
        avgTradingDrawdown: ratioish,
        counterpartyScore: ratioish,
      }),
    },
    { requiredKeys: ['type', 'agentId', 'stake', 'coverage'] },
  ),
  CreateEscrow: fc.record(
    {
      type: fc.constant('CreateEscrow'),
      escrowId: idish(64),
      payer: idish(128),
      payee: idish(128),
      amount: moneyish,
      deadline: intish(0, 8.64e15),
      feeRate: ratioish,
      job: fc.record({ type: mostly(fc.constant('data_delivery'), fc.constant('mining')), value: moneyish }),
      exposure: fc.record({ current: moneyish, walletBalance: moneyish }),
    },
    { requiredKeys: ['type', 'escrowId', 'payer', 'payee', 'amount', 'deadline'] },
  ),
};
const unionOf = { Deposit: TreasuryCommandCodec, PlaceBet: TreasuryCommandCodec, OpenPosition: TreasuryCommandCodec };
const codecFor = (type: string) =>
  (unionOf as Record<string, t.Mixed>)[type] ?? (type === 'JoinPool' ? PoolCommandCodec : EscrowCommandCodec);

describe('the schema accepts what the codec accepts: commands', () => {
  const input = new Map(COMMAND_UNIONS.map((codec) => [codec, compile(commandInputSchema(codec))]));
  const stored = new Map(COMMAND_UNIONS.map((codec) => [codec, compile(jsonSchemaOf(codec))]));
  const AT = 1_767_225_600_000;

  it.each(Object.entries(commands))(
    '%s: a client command passes the input schema exactly when the codec (with the stamped `at`) decodes it, ' +
      'and the encoded command passes the stored schema',
    (type, arbitrary) => {
      const codec = codecFor(type);
      let valid = 0;
      fc.assert(
        fc.property(withExtra(arbitrary as fc.Arbitrary<Record<string, unknown>>), (generated) => {
          // What a client sends is parsed JSON (fast-check may build null-prototype objects).
          const wire = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
          const decoded = codec.decode({ ...wire, at: AT });
          const sentAt = 'at' in wire;
          // The engine refuses a client's `at`; the input schema must too.
          expect(input.get(codec)!(wire)).toBe(E.isRight(decoded) && !sentAt);
          if (!sentAt) expect(stored.get(codec)!({ ...wire, at: AT })).toBe(E.isRight(decoded));
          if (E.isRight(decoded)) {
            valid += 1;
            expect(stored.get(codec)!(codec.encode(decoded.right))).toBe(true);
          }
        }),
        { numRuns: 1000 },
      );
      // Both outcomes are common, so the property says something about each.
      expect(valid).toBeGreaterThan(100);
      expect(valid).toBeLessThan(900);
    },
  );

  const placeBet = { type: 'PlaceBet', betId: 'bet-1', game: 'coin_flip', stake: '2.5' };
  const openPosition = {
    type: 'OpenPosition',
    positionId: 'p1',
    symbol: 'ETH-USD',
    side: 'long',
    entryPrice: '3000',
    leverage: 2,
    stopLoss: '0.05',
    takeProfit: '0.1',
  };
  it.each([
    ['a valid bet (control)', placeBet, true],
    ['a valid position (control)', openPosition, true],
    ['an unknown field', { ...placeBet, stak: '1' }, false],
    ['a wrong type: the stake as a JSON number', { ...placeBet, stake: 2.5 }, false],
    ['an over-precise amount', { ...placeBet, stake: '1.0000001' }, false],
    ['a negative amount where a positive one is required', { ...placeBet, stake: '-1' }, false],
    ['a zero amount where a positive one is required', { ...placeBet, stake: '0.000' }, false],
    ['an amount over 10^15', { ...placeBet, stake: '1000000000000000.01' }, false],
    ['a too-long id', { ...placeBet, betId: 'b'.repeat(65) }, false],
    ['an id with a space', { ...placeBet, betId: 'bet 1' }, false],
    ['a game not offered', { ...placeBet, game: 'poker' }, false],
    ['a missing required field', { type: 'PlaceBet', betId: 'bet-1' }, false],
    ['an unknown command type', { ...placeBet, type: 'PlaceBets' }, false],
    ['leverage above the bound', { ...openPosition, leverage: 51 }, false],
    ['a fractional leverage', { ...openPosition, leverage: 1.5 }, false],
    ['a ratio above 1', { ...openPosition, stopLoss: '1.01' }, false],
    ['a price with 13 decimals', { ...openPosition, entryPrice: '0.0000000000001' }, false],
    ['an `at` from the client', { ...placeBet, at: AT }, false],
  ])('%s: codec and schema agree (%#)', (_, wire, valid) => {
    const decoded = TreasuryCommandCodec.decode({ at: AT, ...wire });
    expect(E.isRight(decoded) && !('at' in wire)).toBe(valid);
    expect(input.get(TreasuryCommandCodec)!(wire)).toBe(valid);
  });
});
