/** Every failure a feature can report on purpose. The problem filter maps each to a status. */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'idempotency_conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited';

export interface FieldError {
  field: string;
  message: string;
}

/** A feature exception with a code; never a bare Error that becomes a 500. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** Extra problem members, e.g. `errors` for validation or `allowedAt` for follow-ups. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[], detail = 'The request has invalid fields.'): AppError {
    return new AppError('validation_failed', detail, { errors });
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} was not found.`);
  }
}
