import * as t from 'io-ts';
import { patternString } from '../codecs/primitives';

export interface LocalIdBrand {
  readonly LocalId: unique symbol;
}
/** Ids of bets, positions, escrows and sessions inside one treasury; chosen by the caller. */
export const LocalIdCodec = patternString<LocalIdBrand>(
  'id',
  /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
  64,
  'letters, digits and _ . : -',
);
export type LocalId = t.TypeOf<typeof LocalIdCodec>;
export const SymbolCodec = patternString<LocalIdBrand>(
  'symbol',
  /^[A-Z0-9]{1,12}(-[A-Z0-9]{1,12})?$/,
  25,
  'upper-case like ETH-USD',
);
export const GameNameCodec = t.keyof(
  { dice_over50: null, coin_flip: null, 'crash_1.5x': null, crash_2x: null, roulette_red: null },
  'game',
);
export const SideCodec = t.keyof({ long: null, short: null }, 'side');
export const ReferralServiceCodec = t.keyof({ escrow: null, trading: null, casino: null }, 'service');
