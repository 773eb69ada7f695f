import { UsageError } from '../cli-io';

/** A server that could not be reached, or answered with something other than the API (exit 3). */
export class Unreachable extends Error {
  override name = 'Unreachable';
}

/** The API's answer to one request: its status and JSON body. */
export interface ApiAnswer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** How long one request may take before the server counts as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

/** `--url`: an http(s) URL, without a trailing slash. */
export const serverUrlOf = (value: unknown): string => {
  if (typeof value !== 'string' || value === '') throw new UsageError('--url URL is required');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:8787, got ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--url must be an http(s) URL such as http://127.0.0.1:8787, got ${value}`);
  return value.replace(/\/+$/, '');
};

/** `--key`, else BALLAST_KEY (so the key stays out of the process list and the shell history). */
export const apiKeyOf = (value: unknown): string => {
  const key = typeof value === 'string' && value !== '' ? value : process.env.BALLAST_KEY;
  if (key === undefined || key === '')
    throw new UsageError('--key KEY (or the BALLAST_KEY environment variable) is required');
  return key;
};

/** One JSON request to the API. Never puts the key in an error: only the URL and what went wrong. */
export const callApi = async (
  url: string,
  key: string,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; signal?: AbortSignal } = {},
): Promise<ApiAnswer> => {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers,
      signal: options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Unreachable(`cannot reach ${url}: ${why}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Unreachable(
      `${url}${path} answered ${response.status} with something that is not JSON: is it ballast serve?`,
    );
  }
};
