import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event: its name (`message` when unnamed), its id if it had one, its data as sent. */
export interface SseMessage {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * Reads a `text/event-stream` body, handing each event to `onMessage`, until the body ends or
 * `onMessage` answers `'stop'` (the rest of the body is cancelled). Comments (heartbeats) are skipped.
 */
export const readSse = async (
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => 'stop' | void,
): Promise<void> => {
  let stop = false;
  const parser = createParser({
    onEvent: (m: EventSourceMessage) => {
      if (stop) return;
      const message = { event: m.event ?? 'message', data: m.data, ...(m.id === undefined ? {} : { id: m.id }) };
      if (onMessage(message) === 'stop') stop = true;
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    while (!stop) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } finally {
    if (stop) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
};
