/** A server-sent event as the tests read it off the wire. */
export interface SseMessage {
  readonly id?: string;
  readonly event: string;
  /** The data lines joined. */
  readonly data: string;
}

/**
 * The smallest SSE parser that does for our server (LF line ends, comments, `id`, `event`, `data`):
 * the complete messages in `text`, and the rest, which a later chunk completes.
 */
export const parseSse = (text: string): { messages: SseMessage[]; rest: string } => {
  const messages: SseMessage[] = [];
  let rest = text;
  let end: number;
  while ((end = rest.indexOf('\n\n')) >= 0) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0 || id !== undefined)
      messages.push({ ...(id === undefined ? {} : { id }), event, data: data.join('\n') });
  }
  return { messages, rest };
};

/** Every complete message of a response body, as it arrives. */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const { messages, rest } = parseSse(buffer + decoder.decode(chunk, { stream: true }));
    buffer = rest;
    yield* messages;
  }
}
