import { TreasuryCommandCodec, treasuryDecider, TreasuryEventCodec } from '@ballast/domain';
import { deciderSpec } from './decider-spec';

export const treasurySpec = deciderSpec(treasuryDecider, TreasuryCommandCodec as never, TreasuryEventCodec as never);

export const T0 = Date.UTC(2026, 0, 1);
export const HOUR = 3_600_000;

/** The seed's agent preset, as wire JSON a user would send. */
export const agentConfig = (overrides: Record<string, unknown> = {}) => ({
  buckets: [
    { name: 'reserve', target: '0.40', floor: '0.20' },
    { name: 'trading', target: '0.35', floor: '0.10' },
    { name: 'casino', target: '0.15', floor: '0.05' },
    { name: 'referral', target: '0.10', floor: '0' },
  ],
  roles: { reserve: 'reserve', trading: 'trading', casino: 'casino', referral: 'referral' },
  driftThreshold: '0.05',
  minMove: '10',
  maxDailyLoss: '0.05',
  maxDrawdown: '0.20',
  tradingMaxDrawdown: '0.20',
  casinoSessionStop: '0.50',
  betCap: '0.02',
  sizing: 'half-kelly' as const,
  lotteryFraction: '0.01',
  maxPositionFraction: '0.10',
  maxLeverage: 5,
  minRewardToRisk: '2',
  escrowReserveRatio: '0.30',
  escrowFee: '0.01',
  referralMinimum: '5',
  referralToReserve: '0.70',
  pauseMs: 86_400_000,
  dailyWindowMs: 86_400_000,
  ...overrides,
});

/** A treasury opened with the agent preset and $1,000 split by target at T0. */
export const funded = (overrides: Record<string, unknown> = {}, amount = '1000') => [
  { type: 'OpenTreasury', at: T0, config: agentConfig(overrides) },
  { type: 'Deposit', at: T0, amount },
];
