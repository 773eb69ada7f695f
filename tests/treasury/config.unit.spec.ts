import { configProblems, defiPreset, agentPreset, TreasuryCommandCodec, decodeInput } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { agentConfig, T0, treasurySpec } from '../support/treasury-fixtures';

describe('T3: treasury configuration is validated when it is set', () => {
  it('accepts both presets', () => {
    expect(configProblems(agentPreset())).toEqual([]);
    expect(configProblems(defiPreset())).toEqual([]);
  });

  it.each([
    [
      'targets that do not sum to 1',
      {
        buckets: [
          { name: 'reserve', target: '0.5', floor: '0.2' },
          { name: 'trading', target: '0.4', floor: '0.1' },
        ],
        roles: { reserve: 'reserve', trading: 'trading' },
      },
      'targets sum to 0.9',
    ],
    [
      'a floor above its target',
      {
        buckets: [
          { name: 'reserve', target: '0.5', floor: '0.6' },
          { name: 'trading', target: '0.5', floor: '0' },
        ],
        roles: { reserve: 'reserve' },
      },
      'floor 0.6 is above its target 0.5',
    ],
    [
      'a role naming a missing bucket',
      { buckets: [{ name: 'reserve', target: '1', floor: '0' }], roles: { reserve: 'reserve', casino: 'casino' } },
      'role casino names bucket casino',
    ],
    [
      'two buckets with one name',
      {
        buckets: [
          { name: 'reserve', target: '0.5', floor: '0' },
          { name: 'reserve', target: '0.5', floor: '0' },
        ],
        roles: { reserve: 'reserve' },
      },
      'bucket names repeat',
    ],
  ])('refuses %s with CONFIG_INVALID and the numbers', (_label, overrides, problem) => {
    const { rejection } = treasurySpec
      .given([])
      .when({ type: 'OpenTreasury', at: T0, config: agentConfig(overrides) })
      .thenRejects('CONFIG_INVALID');
    expect(rejection.message).toContain(problem);
  });

  it('refuses a second open and anything before the first', () => {
    treasurySpec
      .given([{ type: 'OpenTreasury', at: T0, config: agentConfig() }])
      .when({ type: 'OpenTreasury', at: T0, config: agentConfig() })
      .thenRejects('ALREADY_OPENED');
    treasurySpec.given([]).when({ type: 'Deposit', at: T0, amount: '1' }).thenRejects('TREASURY_NOT_OPENED');
  });

  it.each([
    ['a float ratio', { driftThreshold: 0.05 }, 'config.driftThreshold'],
    ['a ratio above 1', { betCap: '1.5' }, 'config.betCap'],
    ['an unknown sizing policy', { sizing: 'martingale' }, 'config.sizing'],
    ['an unknown field', { maxDrawdownPct: '0.2' }, 'config.maxDrawdownPct'],
    ['a negative minimum move', { minMove: '-10' }, 'config.minMove'],
    ['leverage 0', { maxLeverage: 0 }, 'config.maxLeverage'],
  ])('G5: refuses %s at the boundary with its path', (_label, overrides, path) => {
    const result = decodeInput(
      TreasuryCommandCodec,
      'command',
    )({ type: 'OpenTreasury', at: T0, config: agentConfig(overrides) });
    expect(E.isLeft(result) && result.left.message).toContain(path);
  });
});
