import { esdbScenarios } from './esdb-scenarios';
import { rateOf } from './measure';
import { interleave, summarize, type WorkloadResult } from './workload';

/** The EventStoreDB adapter beside the bare client, from esdb-scenarios.ts (its first scenario). */
export const esdbWorkload = async (count: number, repeats: number): Promise<WorkloadResult> => {
  const esdb = await esdbScenarios(count);
  try {
    const s = esdb.scenarios[0];
    if (!s) throw new Error('esdb-scenarios returned no scenario');
    const samples = await interleave(
      [
        { side: 'ballast', run: async () => rateOf(await s.ballast()) },
        { side: 'bareClient', run: async () => rateOf(await s.peer()) },
      ],
      repeats,
    );
    return summarize(
      {
        id: 'esdb-adapter',
        title: 'EventStoreDB adapter vs the bare client',
        unit: 'appends/s',
        target: { text: '≥ 0.5× bare client', kind: 'ratio', vs: 'bareClient', min: 0.5 },
        note: `${s.name}; against ${esdb.target}`,
      },
      samples,
    );
  } finally {
    await esdb.close();
  }
};
