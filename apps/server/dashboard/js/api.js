// @ts-check
// The dashboard's only way to the server: the JSON API with the key in the Authorization header, and
// its live streams (server-sent events) read with fetch, because EventSource cannot send a header.

const KEY = 'ballast.dashboard.key';

/** The key lives in this tab only (sessionStorage): closing the tab forgets it. */
export const session = {
  /** @returns {string | null} */
  key: () => sessionStorage.getItem(KEY),
  /** @param {string} key */
  remember: (key) => sessionStorage.setItem(KEY, key),
  forget: () => sessionStorage.removeItem(KEY),
};

/** A refusal as the API answered it: status, stable code, message and the numbers behind it. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ code?: string, message?: string, details?: unknown }} body
   */
  constructor(status, body) {
    super(body.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body.code ?? `HTTP_${status}`;
    this.details = body.details;
    this.body = body;
  }
}

/**
 * One API call. 2xx answers (202: held for approval) resolve with the body; anything else throws
 * ApiError carrying the server's code and numbers.
 * @param {string} path
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal }} [options]
 * @returns {Promise<{ status: number, body: any }>}
 */
export const api = async (path, options = {}) => {
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${session.key() ?? ''}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await response.text();
  const body = text === '' ? {} : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, body);
  return { status: response.status, body };
};

/**
 * Follows a live stream (`/v1/events/stream`, `/v1/read-models/NAME/stream`, an aggregate's): calls
 * `onMessage` with each event's parsed data, resumes after a drop from the last id it saw
 * (Last-Event-ID), and stops for good when `signal` aborts.
 * @param {string} path
 * @param {(data: any, event: string, id: string | undefined) => void} onMessage
 * @param {AbortSignal} signal
 * @param {(error: unknown) => void} [onError]
 */
export const follow = (path, onMessage, signal, onError) => {
  /** @type {string | undefined} */
  let lastId;
  const once = async () => {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${session.key() ?? ''}`, accept: 'text/event-stream' };
    if (lastId !== undefined) headers['last-event-id'] = lastId;
    const response = await fetch(path, { headers, signal });
    if (!response.ok || response.body === null) {
      const text = await response.text();
      throw new ApiError(response.status, text === '' ? {} : JSON.parse(text));
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        /** @type {string | undefined} */
        let id;
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trimStart();
          else if (line.startsWith('id:')) id = line.slice(3).trim();
        }
        if (id !== undefined) lastId = id;
        if (data !== '') onMessage(JSON.parse(data), event, id);
      }
    }
  };
  void (async () => {
    while (!signal.aborted) {
      try {
        await once();
      } catch (error) {
        if (signal.aborted) return;
        onError?.(error);
        // A refused key will not get better by asking again.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
};

/** The command URL of an aggregate: kinds are `treasuries`, `pools`, `escrows`. */
export const commandPath = (/** @type {string} */ facade, /** @type {string} */ id) =>
  `/v1/${facade}/${encodeURIComponent(id)}/commands`;
