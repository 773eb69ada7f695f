import { failureOf, type Answer } from './answers';

export interface ClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** An API key (`bk_…`); sent as `Authorization: Bearer`. */
  readonly key: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  readonly fetch?: typeof fetch;
}

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface Http {
  readonly options: ClientOptions;
  /** The full URL of `path` with the query's defined values. */
  url(path: string, query?: Query): string;
  headers(extra?: Record<string, string>): Record<string, string>;
  /** One JSON request: 2xx is the body with `ok: true`, anything else a `Failure`; a network error throws. */
  json<T>(
    method: 'GET' | 'POST',
    path: string,
    options?: { query?: Query; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer<T>>;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const segment = (id: string): string => encodeURIComponent(id);

export const http = (options: ClientOptions): Http => {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const self: Http = {
    options,
    url: (path, query = {}) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
      const search = params.toString();
      return `${base}${path}${search === '' ? '' : `?${search}`}`;
    },
    headers: (extra = {}) => ({ authorization: `Bearer ${options.key}`, ...extra }),
    json: async (method, path, o = {}) => {
      const headers = self.headers(o.headers);
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const response = await doFetch(self.url(path, o.query), {
        method,
        headers,
        ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
      });
      const body = parse(await response.text());
      if (!response.ok) return failureOf(response.status, body);
      return { ...(body as object), ok: true, status: response.status } as never;
    },
  };
  return self;
};
