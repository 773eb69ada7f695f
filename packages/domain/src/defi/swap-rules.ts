import { Decimal } from '../money';

/** Seed 001 and 002 defaults: at most 0.5% slippage; no transaction while gas is above 100 gwei. */
export const SWAP_DEFAULTS = { maxSlippage: new Decimal('0.005'), maxGasGwei: new Decimal('100') } as const;

export type SwapRefusal =
  | {
      readonly code: 'FILL_IMPLAUSIBLE';
      readonly message: string;
      readonly details: {
        readonly expectedOut: string;
        readonly filledOut: string;
        readonly maxOut: string;
        readonly maxSlippage: string;
      };
    }
  | {
      readonly code: 'GAS_TOO_HIGH';
      readonly message: string;
      readonly details: { readonly gasGwei: string; readonly maxGasGwei: string };
    }
  | {
      readonly code: 'SLIPPAGE_EXCEEDED';
      readonly message: string;
      readonly details: {
        readonly expectedOut: string;
        readonly filledOut: string;
        readonly minOut: string;
        readonly slippage: string;
        readonly maxSlippage: string;
      };
    };

/** Enough digits for the product of two quantities of the codecs' range, whole. */
const Exact = Decimal.clone({ precision: 100 });

export interface SwapCheck {
  /** What `amountIn` is worth in the asset bought at the quoted prices (USD per unit of each). */
  readonly expectedOut: Decimal;
  /** The least a fill may give: expectedOut × (1 − maxSlippage). */
  readonly minOut: Decimal;
  /** (expected − filled) / expected; negative when the fill is better than the quote. */
  readonly slippage: Decimal;
}

/**
 * Whether a swap's fill keeps the slippage cap, and whether gas allows a swap at all. Pure: prices,
 * gas and the fill are inputs (recorded as events by whoever calls it). A fill exactly at the cap passes.
 */
export const checkSwap = (input: {
  readonly amountIn: Decimal;
  readonly priceIn: Decimal;
  readonly priceOut: Decimal;
  readonly filledOut: Decimal;
  readonly gasGwei: Decimal;
  readonly maxSlippage?: Decimal;
  readonly maxGasGwei?: Decimal;
}): { readonly ok: true; readonly check: SwapCheck } | { readonly ok: false; readonly refusal: SwapRefusal } => {
  const maxSlippage = input.maxSlippage ?? SWAP_DEFAULTS.maxSlippage;
  const maxGasGwei = input.maxGasGwei ?? SWAP_DEFAULTS.maxGasGwei;
  if (input.gasGwei.gt(maxGasGwei))
    return {
      ok: false,
      refusal: {
        code: 'GAS_TOO_HIGH',
        message: `gas is ${input.gasGwei.toFixed()} gwei, above the ${maxGasGwei.toFixed()} gwei limit: no swap now`,
        details: { gasGwei: input.gasGwei.toFixed(), maxGasGwei: maxGasGwei.toFixed() },
      },
    };
  // The checks compare products, not quotients, at a precision that holds them whole (each side is at most
  // 10^24 with 24 decimals), so a fill exactly at the cap passes whatever the digits of amountIn × priceIn / priceOut.
  const paid = new Exact(input.amountIn).mul(input.priceIn.toFixed());
  const got = new Exact(input.filledOut).mul(input.priceOut.toFixed());
  const expectedOut = input.amountIn.mul(input.priceIn).div(input.priceOut);
  const minOut = expectedOut.mul(new Decimal(1).minus(maxSlippage));
  // (paid − got) / paid in USD, from the exact products: exact when it has 8 places or fewer (0.001 is 0.001), else
  // rounded away from zero at the 8th (never shown smaller than it is); the checks compare the products themselves.
  const slippage = new Decimal(paid.minus(got).div(paid).toDecimalPlaces(8, Decimal.ROUND_UP).toFixed());
  if (got.lt(paid.mul(new Exact(1).minus(maxSlippage.toFixed()))))
    return {
      ok: false,
      refusal: {
        code: 'SLIPPAGE_EXCEEDED',
        message:
          `the fill gives ${input.filledOut.toFixed()} where the quote gives ${expectedOut.toFixed()}: ` +
          `slippage ${slippage.toFixed()} is above the cap of ${maxSlippage.toFixed()}`,
        details: {
          expectedOut: expectedOut.toFixed(),
          filledOut: input.filledOut.toFixed(),
          minOut: minOut.toFixed(),
          slippage: slippage.toFixed(),
          maxSlippage: maxSlippage.toFixed(),
        },
      },
    };
  // A fill better than the quote by more than the cap is not a fill this venue gives: it would book a gain that
  // never happened (and a slippage past −1 does not even fit the event).
  const maxOut = expectedOut.mul(new Decimal(1).plus(maxSlippage));
  if (got.gt(paid.mul(new Exact(1).plus(maxSlippage.toFixed()))))
    return {
      ok: false,
      refusal: {
        code: 'FILL_IMPLAUSIBLE',
        message:
          `the fill gives ${input.filledOut.toFixed()} where the quote gives ${expectedOut.toFixed()}: ` +
          `more than ${maxSlippage.toFixed()} better than the market is not a fill to book`,
        details: {
          expectedOut: expectedOut.toFixed(),
          filledOut: input.filledOut.toFixed(),
          maxOut: maxOut.toFixed(),
          maxSlippage: maxSlippage.toFixed(),
        },
      },
    };
  // Within the cap exactly (both checks above compare exact fills), so the shown figure is held to the cap: rounding
  // up (away from zero) at the 8th place, or the last digit of expectedOut's division, must not record a fill at the
  // cap as one past it.
  return {
    ok: true,
    check: { expectedOut, minOut, slippage: Decimal.max(maxSlippage.neg(), Decimal.min(maxSlippage, slippage)) },
  };
};
