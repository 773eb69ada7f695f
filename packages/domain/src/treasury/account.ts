import * as E from 'fp-ts/Either';
import type { TreasuryEvent } from './events';
import { evolveRisk, initialRiskState, type RiskState } from './risk-state';
import { evolveTreasury } from './evolve-treasury';
import { evolveControls } from './controls';
import { evolveMarket } from './market-state';
import { initialTreasuryState, type TreasuryState } from './state';
import type { TreasuryRejection } from './rejections';

/**
 * One `treasury-<id>` stream, two folds: the Treasury (money) and the RiskGuard (status, peaks,
 * breakers). A command is decided against both, so a risk check and the money move it guards are
 * one atomic append.
 */
export interface TreasuryAccount {
  readonly treasury: TreasuryState;
  readonly risk: RiskState;
}

export const initialAccount: TreasuryAccount = { treasury: initialTreasuryState, risk: initialRiskState };

/**
 * The money's fold, then the controls' (which count the outflows) and the market's; both stay absent
 * until first needed, so a treasury that has neither folds (and digests) as before.
 */
const evolveWithControls = (state: TreasuryAccount['treasury'], event: TreasuryEvent): TreasuryAccount['treasury'] => {
  const treasury = evolveTreasury(state, event);
  const controls = evolveControls(state.controls, event);
  const market = evolveMarket(state.market, event);
  const withControls = controls === undefined || controls === treasury.controls ? treasury : { ...treasury, controls };
  return market === undefined || market === treasury.market ? withControls : { ...withControls, market };
};

export const evolveAccount = (account: TreasuryAccount, event: TreasuryEvent): TreasuryAccount => {
  const treasury = evolveWithControls(account.treasury, event);
  return { treasury, risk: evolveRisk(account.risk, event, treasury) };
};

export const foldAccount = (account: TreasuryAccount, events: readonly TreasuryEvent[]): TreasuryAccount =>
  events.reduce(evolveAccount, account);

export type Decision = E.Either<TreasuryRejection, readonly TreasuryEvent[]>;
export const accept = (...events: TreasuryEvent[]): Decision => E.right(events);
