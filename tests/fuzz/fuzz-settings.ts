/**
 * How hard the fuzzers push. CI runs a fixed seed and a modest number of cases so a failure is the same on every
 * machine; `BALLAST_FUZZ_RUNS=100000` is the long mode (cases per decoder), and `BALLAST_FUZZ_SEED` explores
 * another seed. A counterexample printed by fast-check replays with that seed and its `path`.
 */
export const FUZZ_SEED = 20261127;

const positiveIntFromEnv = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1)
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
};

const RUNS = positiveIntFromEnv('BALLAST_FUZZ_RUNS');
const SEED = positiveIntFromEnv('BALLAST_FUZZ_SEED') ?? FUZZ_SEED;

/** True when BALLAST_FUZZ_RUNS asks for the long mode. */
export const LONG_MODE = RUNS !== undefined;

/** Cases per property: the env's count in the long mode, else `ciRuns`. */
export const fuzzRuns = (ciRuns: number): number => RUNS ?? ciRuns;

/** The parameters for fc.assert: the fixed seed and the number of cases. */
export const fuzzParams = (ciRuns: number): { seed: number; numRuns: number } => ({
  seed: SEED,
  numRuns: fuzzRuns(ciRuns),
});

/**
 * A jest timeout for a property of `ciRuns` cases that each take about `msPerCase`: the CI default leaves room on a
 * slow runner, the long mode scales with the cases asked for.
 */
export const fuzzTimeoutMs = (ciRuns: number, msPerCase: number): number =>
  Math.max(60_000, Math.ceil(fuzzRuns(ciRuns) * msPerCase * (LONG_MODE ? 20 : 4)));
