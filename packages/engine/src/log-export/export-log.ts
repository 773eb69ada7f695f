import type { EventStore, VerifyReport } from '@ballast/event-store';
import { HeadTracker } from '../anchors/head-tracker';
import { headsRoot } from '../anchors/heads-root';
import { EXPORT_FORMAT, type ExportTrailer } from './export-format';

/** Where export lines go; a returned promise is awaited (backpressure). */
export type LineSink = (line: string) => void | Promise<void>;

/**
 * Writes the whole log as JSON lines: a header, every event in global order with its hash, and a
 * trailer with the counts and the root of every stream's head. Each event is written only once its
 * chain has checked out; on a broken chain the export stops there and the report says where (the
 * lines written so far are then not a valid export: they have no trailer).
 */
export const exportLog = async (
  store: EventStore,
  write: LineSink,
  exportedAt: string,
): Promise<
  | { readonly report: Extract<VerifyReport, { ok: true }>; readonly trailer: ExportTrailer }
  | { readonly report: Extract<VerifyReport, { ok: false }> }
> => {
  await write(JSON.stringify({ format: EXPORT_FORMAT, exportedAt }));
  const log = new HeadTracker();
  const report = await store.verify({
    onEvent: (e) => {
      log.add(e);
      return write(
        JSON.stringify({
          position: e.position,
          streamId: e.streamId,
          revision: e.revision,
          eventId: e.eventId,
          type: e.type,
          version: e.version,
          data: e.data,
          metadata: e.metadata,
          hash: e.hash,
        }),
      );
    },
  });
  if (!report.ok) return { report };
  const heads = log.heads();
  const trailer: ExportTrailer = {
    end: EXPORT_FORMAT,
    events: log.events,
    streams: heads.length,
    headPosition: log.headPosition,
    headsRoot: headsRoot(heads),
  };
  await write(JSON.stringify(trailer));
  return { report, trailer };
};
