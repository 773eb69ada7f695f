/** A refusal as the server answers it: a status and a stable code, with the numbers behind it. Data, not an exception. */
export interface Failure {
  readonly ok: false;
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /** For 400 `INVALID_INPUT`: each bad field's path. */
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  /** For a refusal the server recorded (a breaker trip, a `CommandRejected`): the position of its events. */
  readonly position?: number;
}

/** What a call answers: the value with `ok: true` and the HTTP status, or a `Failure`. */
export type Answer<T> = ({ readonly ok: true; readonly status: number } & T) | Failure;

/** An event as the server sends it (the store's recorded event, as JSON). */
export interface WireEvent {
  readonly streamId: string;
  /** 0-based within its stream. */
  readonly revision: number;
  /** 1-based, strictly increasing across the log. */
  readonly position: number;
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>> & { readonly commandId: string };
  readonly hash: string;
}

/** A failure from any non-2xx answer; a body that is not the server's JSON keeps its text as the message. */
export const failureOf = (status: number, body: unknown): Failure => {
  if (typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string') {
    const { code, message, details, issues, position } = body as Record<string, unknown>;
    return {
      ok: false,
      status,
      code: code as string,
      message: typeof message === 'string' ? message : '',
      ...(details === undefined ? {} : { details: details as Failure['details'] & object }),
      ...(issues === undefined ? {} : { issues: issues as NonNullable<Failure['issues']> }),
      ...(typeof position === 'number' ? { position } : {}),
    };
  }
  return { ok: false, status, code: `HTTP_${status}`, message: typeof body === 'string' ? body : JSON.stringify(body) };
};
