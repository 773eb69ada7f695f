import * as E from 'fp-ts/Either';
import { canonicalJson, decodeInput } from '@ballast/domain';
import { ChainWalker, deriveEventIds, type EventStore, type NewEventInput } from '@ballast/event-store';
import { headsOfTips, headsRoot } from '../anchors/heads-root';
import { ExportedEventCodec, ExportHeaderCodec, ExportTrailerCodec, type ExportedEvent } from './export-format';

export type ImportProblemCode =
  /** A line that is not JSON, or not the line expected there (header, event, trailer). */
  | 'IMPORT_MALFORMED'
  /** An event whose content does not match its hash chain: edited after the export. */
  | 'IMPORT_HASH_MISMATCH'
  /** A revision missing or repeated in a stream, or positions out of order: lines removed or moved. */
  | 'IMPORT_OUT_OF_ORDER'
  /** The file ends without its trailer: cut off. */
  | 'IMPORT_CUT_OFF'
  /** The trailer's counts or root disagree with the events above it. */
  | 'IMPORT_TRAILER_MISMATCH'
  /** The store could not append the event as it was (its id or hash came out different). */
  | 'IMPORT_NOT_REPRODUCIBLE'
  /** The target store already holds events. */
  | 'IMPORT_TARGET_NOT_EMPTY';

export interface ImportProblem {
  readonly code: ImportProblemCode;
  /** 1-based line of the export file. */
  readonly line: number;
  readonly streamId?: string;
  readonly revision?: number;
  readonly message: string;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly events: number;
      readonly streams: number;
      readonly headsRoot: string;
      /** Events whose global position in the target differs from the export's (another store kind's offsets). */
      readonly renumbered: number;
    }
  | { readonly ok: false; readonly problem: ImportProblem; readonly imported: number };

export interface ImportOptions {
  /**
   * Appends handed to the store before waiting for them. Default 1. More is only for a store that
   * commits concurrent appends in call order (the SQLite store's group commit does, and pays one
   * fsync per group); EventStoreDB's appends race, and global order is part of what is imported.
   */
  readonly inFlight?: number;
}

/** A longer line is not one this version wrote (an event's data and metadata are far smaller). */
export const MAX_EXPORT_LINE = 8 * 1024 * 1024;

const decodeHeader = decodeInput(ExportHeaderCodec, 'export header');
const decodeEvent = decodeInput(ExportedEventCodec, 'exported event');
const decodeTrailer = decodeInput(ExportTrailerCodec, 'export trailer');

interface Group {
  readonly streamId: string;
  readonly commandId: string;
  readonly firstRevision: number;
  readonly events: NewEventInput[];
  readonly lines: { readonly line: number; readonly position: number; readonly revision: number }[];
  lastHash: string;
}

class ImportFailed extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

/**
 * Reads an export line by line into an empty store, checking every event's hash chain as it goes
 * (from the export's own bytes, before the store sees them), then appending each command's events
 * as the command appended them, so the store derives the same event ids and hashes: any difference
 * stops the import there. The caller removes a store left half-imported (the CLI imports into a
 * temporary file and renames it only on success).
 */
export const importLog = async (
  lines: AsyncIterable<string>,
  target: EventStore,
  options: ImportOptions = {},
): Promise<ImportResult> => {
  const window = Math.max(1, options.inFlight ?? 1);
  const walker = new ChainWalker();
  let imported = 0;
  let renumbered = 0;
  let group: Group | undefined;
  let lineNo = 0;
  let stage: 'header' | 'events' | 'done' = 'header';
  const fail = (problem: ImportProblem): never => {
    throw new ImportFailed(problem);
  };

  /** Appends waiting for their commit: the store commits them in call order, many per fsync. */
  let inFlight: Promise<ImportProblem | undefined>[] = [];
  const settle = async (): Promise<void> => {
    const outcomes = await Promise.all(inFlight);
    inFlight = [];
    const problem = outcomes.find((o) => o !== undefined);
    if (problem) fail(problem);
  };

  const flush = async (): Promise<void> => {
    if (group === undefined) return;
    const g = group;
    group = undefined;
    const first = g.lines[0]!;
    inFlight.push(
      target
        .append(g.streamId, g.events, {
          expectedRevision: g.firstRevision === 0 ? 'no_stream' : g.firstRevision - 1,
          commandId: g.commandId,
        })
        .then((appended): ImportProblem | undefined => {
          if (E.isLeft(appended))
            return {
              code: 'IMPORT_NOT_REPRODUCIBLE',
              line: first.line,
              streamId: g.streamId,
              revision: first.revision,
              message: `line ${first.line}: the store refused the events of command ${g.commandId}: ${appended.left.message}`,
            };
          g.lines.forEach((l, i) => {
            if (l.position !== appended.right.firstPosition + i) renumbered += 1;
          });
          imported += g.events.length;
          return undefined;
        }),
    );
    if (inFlight.length >= window) await settle();
  };

  /** Every stream's head in the store must be the export's: the same ids and content chain to the same hashes. */
  const compareHeads = async (line: number): Promise<void> => {
    for (const [streamId, revision, hash] of headsOfTips(walker.streamTips())) {
      const head = await target.streamHead(streamId);
      if (head?.revision !== revision || head.hash !== hash)
        fail({
          code: 'IMPORT_NOT_REPRODUCIBLE',
          line,
          streamId,
          revision,
          message: `stream ${streamId} was appended with another head than exported (revision ${revision}, hash ${hash.slice(0, 16)}…)`,
        });
    }
  };

  /** The chain check every verify runs, over the export's own bytes. */
  const IMPORT_CODE = {
    POSITION_ORDER: 'IMPORT_OUT_OF_ORDER',
    REVISION_GAP: 'IMPORT_OUT_OF_ORDER',
    HASH_MISMATCH: 'IMPORT_HASH_MISMATCH',
  } as const;

  /** Checks one event against the chain so far; says whether it starts a new command's group. */
  const check = (e: ExportedEvent, line: number): { readonly commandId: string; readonly startsGroup: boolean } => {
    const at = { line, streamId: e.streamId, revision: e.revision };
    const broken = walker.check({
      position: e.position,
      streamId: e.streamId,
      revision: e.revision,
      eventId: e.eventId,
      type: e.type,
      version: e.version,
      dataJson: canonicalJson(e.data),
      metadataJson: canonicalJson(e.metadata),
      hash: e.hash,
    });
    if (broken)
      fail({
        code: IMPORT_CODE[broken.kind as keyof typeof IMPORT_CODE],
        ...at,
        message: `line ${line}: ${broken.message}`,
      });
    const commandId = e.metadata.commandId;
    if (typeof commandId !== 'string')
      return fail({
        code: 'IMPORT_MALFORMED',
        ...at,
        message: `line ${line}: metadata.commandId: expected the command's id`,
      });
    const startsGroup = group === undefined || group.streamId !== e.streamId || group.commandId !== commandId;
    const index = startsGroup ? 0 : group!.events.length;
    if (deriveEventIds(commandId, index + 1)[index] !== e.eventId)
      fail({
        code: 'IMPORT_NOT_REPRODUCIBLE',
        ...at,
        message: `line ${line}: event id ${e.eventId} is not the one Ballast derives from command ${commandId} (index ${index})`,
      });
    return { commandId, startsGroup };
  };

  try {
    if ((await target.headPosition()) !== 0)
      fail({
        code: 'IMPORT_TARGET_NOT_EMPTY',
        line: 0,
        message: 'the target store already holds events: import into a new one',
      });
    for await (const raw of lines) {
      lineNo += 1;
      if (raw.length > MAX_EXPORT_LINE)
        fail({
          code: 'IMPORT_MALFORMED',
          line: lineNo,
          message: `line ${lineNo}: longer than ${MAX_EXPORT_LINE} characters`,
        });
      if (raw.trim() === '' && stage === 'done') continue;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        fail({
          code: 'IMPORT_MALFORMED',
          line: lineNo,
          message: `line ${lineNo}: not JSON (${(error as Error).message})`,
        });
      }
      const malformed = (issues: readonly { path: string; message: string }[], what: string): never =>
        fail({
          code: 'IMPORT_MALFORMED',
          line: lineNo,
          message: `line ${lineNo}: not ${what}${issues[0] ? ` (${issues[0].path || 'the line'}: ${issues[0].message})` : ''}`,
        });
      if (stage === 'done')
        fail({ code: 'IMPORT_MALFORMED', line: lineNo, message: `line ${lineNo}: a line after the trailer` });
      if (stage === 'header') {
        const header = decodeHeader(json);
        if (E.isLeft(header)) malformed(header.left.issues, `an export header ({"format":"ballast-export/1",…})`);
        stage = 'events';
        continue;
      }
      if (typeof json === 'object' && json !== null && 'end' in json) {
        const trailer = decodeTrailer(json);
        if (E.isLeft(trailer)) return malformed(trailer.left.issues, 'an export trailer');
        await flush();
        await settle();
        await compareHeads(lineNo);
        const t = trailer.right;
        const heads = headsOfTips(walker.streamTips());
        const root = headsRoot(heads);
        if (t.events !== walker.events || t.streams !== heads.length || t.headsRoot !== root)
          fail({
            code: 'IMPORT_TRAILER_MISMATCH',
            line: lineNo,
            message:
              `line ${lineNo}: the trailer says ${t.events} events in ${t.streams} streams (root ${t.headsRoot.slice(0, 16)}…); ` +
              `the file holds ${walker.events} in ${heads.length} (root ${root.slice(0, 16)}…)`,
          });
        stage = 'done';
        continue;
      }
      const decoded = decodeEvent(json);
      if (E.isLeft(decoded)) return malformed(decoded.left.issues, 'an exported event');
      const e = decoded.right;
      const { commandId, startsGroup } = check(e, lineNo);
      if (startsGroup) await flush();
      const { commandId: _id, ...metadata } = e.metadata;
      group ??= { streamId: e.streamId, commandId, firstRevision: e.revision, events: [], lines: [], lastHash: e.hash };
      group.events.push({
        type: e.type,
        version: e.version,
        data: e.data,
        metadata: metadata as NonNullable<NewEventInput['metadata']>,
      });
      group.lines.push({ line: lineNo, position: e.position, revision: e.revision });
      group.lastHash = e.hash;
    }
    if (stage !== 'done')
      fail({
        code: 'IMPORT_CUT_OFF',
        line: lineNo,
        message:
          stage === 'header'
            ? 'the file is empty: not an export'
            : `the file ends at line ${lineNo} without its trailer: the export was cut off`,
      });
    const heads = headsOfTips(walker.streamTips());
    return { ok: true, events: imported, streams: heads.length, headsRoot: headsRoot(heads), renumbered };
  } catch (error) {
    // Appends still in flight are let finish: the caller closes the store only after this returns.
    await Promise.allSettled(inFlight);
    if (error instanceof ImportFailed) return { ok: false, problem: error.problem, imported };
    throw error;
  }
};
