import type { RecordedEvent } from '@ballast/domain';

const MAX_DATA_CHARS = 90;

/** One readable line per event: position, stream@revision, type, event time, command, data. */
export const eventLine = (e: RecordedEvent): string => {
  const { at, ...rest } = e.data as { at?: unknown };
  const when = typeof at === 'number' ? new Date(at).toISOString() : '-';
  const data = JSON.stringify(rest);
  return [
    String(e.position).padStart(7),
    `${e.streamId}@${e.revision}`.padEnd(28),
    e.type.padEnd(22),
    when,
    e.metadata.commandId,
    data.length > MAX_DATA_CHARS ? `${data.slice(0, MAX_DATA_CHARS)}…` : data,
  ].join('  ');
};

export const EVENT_HEADER = [
  '    pos',
  'stream@revision'.padEnd(28),
  'type'.padEnd(22),
  'at'.padEnd(24),
  'command',
  'data',
].join('  ');
