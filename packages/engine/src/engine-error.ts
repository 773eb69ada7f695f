/** The engine cannot go on: a stored event does not decode, or the store kept refusing. Not a domain refusal. */
export class EngineError extends Error {
  constructor(
    readonly code: 'CORRUPT_EVENT' | 'CONFLICT_RETRIES_EXHAUSTED' | 'UNEXPECTED_STORE_REFUSAL',
    message: string,
    readonly streamId?: string,
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
