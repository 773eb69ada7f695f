import { defaultPoolConfig, PoolConfigCodec } from '@ballast/domain';

/** The simulated pool: seed 001's standard tier with every default. */
export const poolConfigJson = () => PoolConfigCodec.encode(defaultPoolConfig('standard'));
