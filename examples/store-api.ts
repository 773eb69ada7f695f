// examples/store-api.ts
// The store on its own, on a stream of your own: `notes-1` is outside Ballast's categories
// (treasury-, pool-, escrow-), so `ballast audit` verifies its hash chain and does not fold it.
// Writing raw events into a domain stream would bypass the deciders and fail the audit.
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdirSync } from 'node:fs';

async function main(): Promise<void> {
  mkdirSync('./data', { recursive: true });
  const store = openSqliteStore('./data/ballast.db');
  const result = await store.append(
    'notes-1',
    [{ type: 'NoteWritten', version: 1, data: { text: 'first note', at: 1767225600000 } }],
    { expectedRevision: 'no_stream', commandId: 'note-1' },
  );
  if (E.isLeft(result)) console.error(result.left.code, result.left.message); // e.g. WRONG_EXPECTED_REVISION
  for await (const event of store.readStream('notes-1')) console.log(event.revision, event.type, event.data);
  console.log(await store.verify()); // in a new store: { ok: true, streams: 1, events: 1, headPosition: 1 }
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
