import type { CommandFailure } from '@ballast/engine';
import type { Principal } from './principals';

/** A failure as the API answers it: a status and a body with a stable code (and the numbers behind it). */
export interface HttpFailure {
  readonly status: number;
  readonly body: { readonly code: string; readonly message: string } & Readonly<Record<string, unknown>>;
}

/**
 * Bad input is 400 (with each bad field's path); a command id reused for another command is 409
 * (an Idempotency-Key sent again with a different body); a rule's refusal is 422 with its details,
 * and with the position of the refusal's own events when the refusal was recorded (a breaker trip).
 */
export const commandFailure = (failure: CommandFailure, position?: number): HttpFailure => {
  if (failure.code === 'INVALID_INPUT' && 'issues' in failure)
    return { status: 400, body: { code: failure.code, message: failure.message, issues: failure.issues } };
  const details = 'details' in failure ? failure.details : {};
  const body = {
    code: failure.code,
    message: failure.message,
    details,
    ...(position === undefined ? {} : { position }),
  };
  return { status: failure.code === 'COMMAND_ID_REUSED' ? 409 : 422, body };
};

/** Store errors that say the store cannot take the request now (its disk, its writer lock, its server). */
const STORE_UNAVAILABLE: ReadonlySet<string> = new Set([
  'DISK_FULL',
  'IO_FAILURE',
  'WRITER_LOCKED',
  'STORE_UNREACHABLE',
]);

/**
 * 503 for a store that failed the request (a full or failing disk, a lost writer lock, an unreachable
 * EventStoreDB): nothing was recorded unless the code says it may have been, and sending the request
 * again with the same Idempotency-Key applies it at most once. The body keeps the store's code but
 * not its message, which names server paths; the server logs the whole error.
 */
export const storeUnavailable = (error: { readonly code: string }): HttpFailure | undefined =>
  STORE_UNAVAILABLE.has(error.code)
    ? {
        status: 503,
        body: {
          code: error.code,
          message:
            `the store failed this request (${error.code}); it is logged. Send it again with the same ` +
            'Idempotency-Key once the store is back: it is applied at most once',
        },
      }
    : undefined;

export const badRequest = (
  message: string,
  issues: readonly { path: string; message: string }[] = [],
): HttpFailure => ({
  status: 400,
  body: { code: 'INVALID_INPUT', message, issues },
});

export const notFound = (message: string): HttpFailure => ({ status: 404, body: { code: 'NOT_FOUND', message } });

/** 403 for a principal: `doing` says what it may not do ("read treasury x", "follow the event log", …). */
export const forbiddenTo = (p: Principal, doing: string): HttpFailure => ({
  status: 403,
  body: {
    code: 'FORBIDDEN',
    message: `${p.role} ${p.id} may not ${doing}`,
    details: { principal: p.id, role: p.role },
  },
});
