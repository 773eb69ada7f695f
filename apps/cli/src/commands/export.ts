import { exportLog } from '@ballast/engine';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { EXIT, processIo, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { openExistingStore, requireFolderOf, STORE_HELP, STORE_OPTIONS } from '../store-options';

/** Lines are gathered to about this many characters before each write: one syscall per ~1 MiB, not per event. */
const FLUSH_AT = 1 << 20;

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write the whole log as JSON lines with hashes (an off-site copy; import reads it)',
  help: `Usage: ballast export (--db PATH | --store URL) --out FILE [--json]

Writes every event in global order as one JSON line with its stream, revision, id, type, version,
data, metadata and chain hash, between a header line and a trailer (event and stream counts, and the
Merkle root of every stream's head, as an anchor has it). Each event is written only after its
hash chain checked out: a store with a broken chain is not exported (exit 1, no file).

The file is written beside FILE and renamed when complete, so FILE is never a partial export.
'--out -' writes to standard output (to pipe into gzip or ssh). Keep the copy where the store's
machine cannot write; 'ballast import' rebuilds a store from it, checking every hash, and the
same anchors verify the copy. Two exports of one store differ only in their header's time, and an
export of a store that has since grown starts with the earlier export's event lines.

Options:
${STORE_HELP}
  --out FILE        where to write (must not exist), or - for standard output
  --json            print the summary as JSON
  -h, --help        show this help

Exit codes: 0 exported, 1 a chain is broken (nothing written), 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, out: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const out = requireString(values, 'out');
    const toStdout = out === '-';
    if (!toStdout) {
      requireFolderOf(out, '--out');
      if (existsSync(out)) throw new UsageError(`--out ${out} exists already; an export is never written over a file`);
      if (existsSync(`${out}.partial`))
        throw new UsageError(
          `--out ${out}: ${out}.partial exists (another export writing, or one killed): remove it first`,
        );
    }
    const { store, label } = await openExistingStore(values);
    const partial = `${out}.partial`;
    const fd = toStdout ? undefined : openSync(partial, 'w', 0o644);
    let buffer = '';
    const flush = (): void => {
      if (fd !== undefined && buffer !== '') writeSync(fd, buffer);
      buffer = '';
    };
    try {
      const exported = await exportLog(
        store,
        (line) => {
          if (toStdout) return io.out(line);
          buffer += `${line}\n`;
          if (buffer.length >= FLUSH_AT) flush();
        },
        new Date().toISOString(),
      );
      if (!('trailer' in exported)) {
        const p = exported.report.problem;
        io.err(
          `ballast export: stream ${p.streamId} revision ${p.revision} (${p.kind}): ${p.message}; nothing exported`,
        );
        return EXIT.checkFailed;
      }
      const { trailer } = exported;
      flush();
      if (fd !== undefined) {
        closeSync(fd);
        renameSync(partial, out);
      }
      const summary = {
        store: label,
        out,
        events: trailer.events,
        streams: trailer.streams,
        headsRoot: trailer.headsRoot,
      };
      // On the real standard output, say "exported" only once every line has gone down the pipe:
      // a reader gone away fails the last write, and main.ts ends the export there (exit 1).
      if (toStdout && io === processIo) await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      if (toStdout) io.err(`exported  ${trailer.events} events in ${trailer.streams} streams`);
      else if (values.json) io.out(JSON.stringify(summary));
      else {
        io.out(`exported  ${trailer.events} events in ${trailer.streams} streams to ${out}`);
        io.out(`root      ${trailer.headsRoot}`);
      }
      return EXIT.ok;
    } finally {
      await store.close();
      if (fd !== undefined && existsSync(partial)) {
        try {
          closeSync(fd);
        } catch {
          // already closed before the rename
        }
        rmSync(partial, { force: true });
      }
    }
  },
};
