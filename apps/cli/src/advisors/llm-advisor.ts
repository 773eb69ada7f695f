import {
  type Advice,
  type Advisor,
  type AdvisorInput,
  AdviceReasonsCodec,
  Decimal,
  decodeInput,
  MarketPolicyCodec,
  MarketSnapshotCodec,
  RatioFromString,
  strict,
  TargetCodec,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';

/** How to reach an OpenAI-compatible Chat Completions endpoint. Off unless someone builds one. */
export interface LlmAdvisorOptions {
  /** Up to the version, without `/chat/completions`: `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer <key>` only; never logged, never in an error message. */
  readonly apiKey: string;
  /** The whole exchange, answer included (default 20 s). */
  readonly timeoutMs?: number;
  /** A longer answer is refused unread (default 64 KiB). */
  readonly maxResponseBytes?: number;
  /** Sent only when given: some models refuse the field. */
  readonly temperature?: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;
export const DEFAULT_LLM_MAX_RESPONSE_BYTES = 64 * 1024;

export type LlmAdvisorErrorCode = 'LLM_TIMEOUT' | 'LLM_UNREACHABLE' | 'LLM_HTTP' | 'LLM_TOO_LARGE' | 'LLM_BAD_ANSWER';

/** What went wrong asking the model, in words an operator can act on; never the key. */
export class LlmAdvisorError extends Error {
  constructor(
    readonly code: LlmAdvisorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LlmAdvisorError';
  }
}

/** `llm:<model>`, the model name reduced to what AdvisorNameCodec takes (`meta/llama 3` → `llm:meta-llama-3`). */
export const llmAdvisorName = (model: string): string => {
  const name = model.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60);
  return name === '' ? 'llm' : `llm:${name}`;
};

// The answer as the model writes it: decimal strings (or JSON numbers, read from their string form
// so 0.1 stays exactly 0.1), and nothing else: a misspelt field is an error, not ignored.
const AnswerCodec = strict(
  { target: TargetCodec, confidence: RatioFromString, reasons: AdviceReasonsCodec },
  {},
  'LlmAdvice',
);
const decodeAnswer = decodeInput(AnswerCodec, 'advice from the model');

/** A JSON number as the decimal its string form spells (`1e-7` → `0.0000001`); anything else as it came. */
const exact = (u: unknown): unknown => {
  if (typeof u !== 'number' || !Number.isFinite(u)) return u;
  return new Decimal(String(u)).toFixed();
};

const numbersAsDecimals = (u: unknown): unknown => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return u;
  const answer = u as Record<string, unknown>;
  const target = answer.target;
  return {
    ...answer,
    ...('confidence' in answer ? { confidence: exact(answer.confidence) } : {}),
    ...(typeof target === 'object' && target !== null && !Array.isArray(target)
      ? {
          target: Object.fromEntries(Object.entries(target as Record<string, unknown>).map(([k, v]) => [k, exact(v)])),
        }
      : {}),
  };
};

/** The model's message content (a JSON object as text) to advice, or why it is not advice. */
export const parseLlmAnswer = (content: string): Advice => {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new LlmAdvisorError('LLM_BAD_ANSWER', `the model's answer is not JSON: ${preview(content)}`);
  }
  const decoded = decodeAnswer(numbersAsDecimals(json));
  if (E.isLeft(decoded)) throw new LlmAdvisorError('LLM_BAD_ANSWER', decoded.left.message);
  return decoded.right;
};

const preview = (text: string): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine);
};

const SYSTEM = [
  'You advise the tactical sleeve of a treasury. You are shown one market reading, the market phase',
  'the last signal found, and the risk policy. Answer with one JSON object and nothing else:',
  '{"target":{"baseYield":"0.6","BTC":"0.2","ETH":"0.1","USDC":"0.1"},"confidence":"0.7","reasons":["..."]}.',
  'Targets are fractions of the whole treasury as decimal strings; they must sum to exactly 1;',
  'baseYield must equal the policy baseYield; BTC+ETH must not exceed volatileCap; BTC and ETH each',
  'must not exceed positionCap. confidence is a fraction between 0 and 1. reasons: 1 to 16 short lines',
  '(at most 400 characters each, no line breaks) saying why. Advice outside the rules is refused.',
].join(' ');

/** What the model is asked: the rules in words, then the reading, the previous phase and the policy as JSON. */
export const llmPrompt = (input: AdvisorInput): { system: string; user: string } => ({
  system: SYSTEM,
  user: JSON.stringify({
    now: new Date(input.now).toISOString(),
    reading: {
      ...MarketSnapshotCodec.encode(input.snapshot),
      observedAt: new Date(input.snapshot.observedAt).toISOString(),
    },
    previousPhase: input.previous?.phase ?? null,
    previousLadderSell: input.previous?.peakSell.toFixed() ?? null,
    policy: MarketPolicyCodec.encode(input.policy),
  }),
});

const redact = (text: string, secret: string): string => (secret === '' ? text : text.split(secret).join('[redacted]'));

/** The body, refused past `limit` bytes without reading the rest. */
const readLimited = async (response: Response, limit: number): Promise<string> => {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new LlmAdvisorError('LLM_TOO_LARGE', `the model's answer is ${declared} bytes; at most ${limit} are read`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new LlmAdvisorError(
        'LLM_TOO_LARGE',
        `the model's answer is over ${limit} bytes; at most ${limit} are read`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/** The first choice's message content of a Chat Completions answer. */
const contentOf = (body: string): string => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new LlmAdvisorError('LLM_BAD_ANSWER', `the endpoint's answer is not JSON: ${preview(body)}`);
  }
  const choices = (json as { choices?: unknown } | null)?.choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const content = (first as { message?: { content?: unknown } } | undefined)?.message?.content;
  if (typeof content !== 'string')
    throw new LlmAdvisorError('LLM_BAD_ANSWER', 'the endpoint answered without choices[0].message.content');
  return content;
};

/**
 * An advisor that asks a language model over an OpenAI-compatible Chat Completions endpoint. Off by
 * default (nothing builds one unless told to); its advice goes through RecordAdvice like any other,
 * so the risk rules decide. A reading older than the policy's `maxAgeMs` is not sent (no advice, as
 * with the rules). Every failure (unreachable, timeout, an HTTP error, an answer too large or not
 * advice) is an LlmAdvisorError naming what went wrong, never the key.
 */
export const llmAdvisor = (options: LlmAdvisorOptions): Advisor => {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const limit = options.maxResponseBytes ?? DEFAULT_LLM_MAX_RESPONSE_BYTES;
  const name = llmAdvisorName(options.model);
  const fail = (code: LlmAdvisorErrorCode, message: string) =>
    new LlmAdvisorError(code, redact(`${name}: ${message}`, options.apiKey));

  const ask = async (input: AdvisorInput): Promise<Advice> => {
    const { system, user } = llmPrompt(input);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify({
        model: options.model,
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ],
        response_format: { type: 'json_object' },
        ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The key out before anything is shown: an endpoint may echo it, and a preview may cut it in two.
    const read = async () => redact(await readLimited(response, limit), options.apiKey);
    if (!response.ok) {
      const body = await read().catch(() => '');
      throw new LlmAdvisorError('LLM_HTTP', `the endpoint answered HTTP ${response.status}: ${preview(body)}`);
    }
    return parseLlmAnswer(contentOf(await read()));
  };

  return {
    name,
    advise: async (input) => {
      if (input.now - input.snapshot.observedAt > input.policy.maxAgeMs) return undefined;
      try {
        return await ask(input);
      } catch (error) {
        if (error instanceof LlmAdvisorError) throw fail(error.code, error.message);
        const e = error as { name?: string; message?: string; cause?: { message?: string } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError')
          throw fail('LLM_TIMEOUT', `no answer from ${url} within ${timeoutMs} ms`);
        throw fail('LLM_UNREACHABLE', `cannot reach ${url}: ${e.cause?.message ?? e.message ?? String(error)}`);
      }
    },
  };
};

export const LLM_ENV = { url: 'BALLAST_LLM_URL', model: 'BALLAST_LLM_MODEL', key: 'BALLAST_LLM_KEY' } as const;

/**
 * The language-model advisor when BALLAST_LLM_URL, BALLAST_LLM_MODEL and BALLAST_LLM_KEY are all set;
 * undefined when none is (off by default). Some but not all set is a mistake worth saying, by name.
 */
export const llmAdvisorFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
  extra: Omit<LlmAdvisorOptions, 'baseUrl' | 'model' | 'apiKey'> = {},
): Advisor | undefined => {
  const value = (name: string) => (env[name] === undefined || env[name]?.trim() === '' ? undefined : env[name]);
  const [baseUrl, model, apiKey] = [value(LLM_ENV.url), value(LLM_ENV.model), value(LLM_ENV.key)];
  if (baseUrl === undefined && model === undefined && apiKey === undefined) return undefined;
  const missing = Object.values(LLM_ENV).filter((name) => value(name) === undefined);
  if (baseUrl === undefined || model === undefined || apiKey === undefined)
    throw new Error(`the language-model advisor needs ${missing.join(', ')} set as well`);
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`${LLM_ENV.url} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new Error(`${LLM_ENV.url} must be an http(s) URL, got ${parsed.protocol}`);
  return llmAdvisor({ ...extra, baseUrl, model: model.trim(), apiKey });
};
