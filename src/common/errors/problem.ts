import { HttpException, HttpStatus } from '@nestjs/common';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { AppError, type ErrorCode, type FieldError } from './app-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface ProblemResult {
  problem: Problem;
  /** Set when the error was not expected: the caller logs it with the request id and its stack. */
  unexpected?: unknown;
}

const TYPE_BASE = 'https://sla-desk.dev/problems/';

function assertUnreachable(code: never): never {
  throw new Error(`Unmapped error code ${String(code)}`);
}

/** Status and title for each feature error code; adding a code without a case fails to compile. */
export function statusOf(code: ErrorCode): [number, string] {
  switch (code) {
    case 'validation_failed':
      return [400, 'Invalid request'];
    case 'unauthenticated':
      return [401, 'Unauthorized'];
    case 'forbidden':
      return [403, 'Forbidden'];
    case 'not_found':
      return [404, 'Not found'];
    case 'conflict':
      return [409, 'Conflict'];
    case 'invalid_transition':
      return [409, 'Invalid state transition'];
    case 'idempotency_conflict':
      return [409, 'Idempotency key reused'];
    case 'precondition_failed':
      return [412, 'Precondition failed'];
    case 'precondition_required':
      return [428, 'Precondition required'];
    case 'payload_too_large':
      return [413, 'Payload too large'];
    case 'unsupported_media_type':
      return [415, 'Unsupported media type'];
    case 'rate_limited':
      return [429, 'Too many requests'];
    default:
      return assertUnreachable(code);
  }
}

function problem(code: string, status: number, title: string, detail: string, extra: object = {}): Problem {
  return { type: TYPE_BASE + code, title, status, detail, ...extra };
}

/** Maps an AppError, a Nest HTTP exception, a Fastify error or a database error to a problem. */
export function toProblem(error: unknown): ProblemResult {
  if (error instanceof AppError) {
    const [status, title] = statusOf(error.code);
    return { problem: problem(error.code, status, title, error.detail, error.extensions) };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? '');
    const title = HttpStatus[status]?.toString().toLowerCase().replace(/_/g, ' ') ?? 'error';
    const detail = status === 404 && /^Cannot /.test(message) ? 'No such route.' : message || title;
    return {
      problem: problem(title.replace(/ /g, '_'), status, title[0].toUpperCase() + title.slice(1), detail),
    };
  }
  if (error instanceof EntityNotFoundError) {
    return { problem: problem('not_found', 404, 'Not found', 'The resource was not found.') };
  }
  if (error instanceof QueryFailedError) {
    const pgCode = (error.driverError as { code?: string } | undefined)?.code;
    switch (pgCode) {
      case '23505':
        return { problem: problem('conflict', 409, 'Conflict', 'The resource already exists.') };
      case '23503':
        return { problem: problem('conflict', 409, 'Conflict', 'A referenced resource does not exist.') };
      // Safety nets: validation should have refused the input; the column stays unnamed (no internals).
      case '23502':
        return {
          problem: problem('validation_failed', 400, 'Invalid request', 'A required value is missing.'),
        };
      case '23514':
        return { problem: problem('validation_failed', 400, 'Invalid request', 'A value is not allowed.') };
      // A deadlock or serialization failure with a concurrent change: the transaction was rolled back
      // whole, nothing was applied, and the same request is expected to succeed when sent again.
      case '40001':
      case '40P01':
        return {
          problem: problem(
            'concurrent_change',
            503,
            'Service unavailable',
            'The request collided with a concurrent change and was not applied; send it again.',
            { retryAfter: 1 },
          ),
        };
    }
    // Class 22, data exceptions: a value PostgreSQL cannot take (bad syntax for its type, out of
    // range, a time zone offset past ±15:59, bad encoding). Input validation should have refused it
    // and named the field; this is the safety net, and the value stays unnamed.
    if (pgCode?.startsWith('22')) {
      return { problem: problem('validation_failed', 400, 'Invalid request', 'A value is out of range.') };
    }
  }
  const fastify = fastifyProblem(error);
  if (fastify) return { problem: fastify };
  return {
    problem: problem('internal', 500, 'Internal server error', 'An unexpected error occurred.'),
    unexpected: error,
  };
}

/** Errors Fastify raises before a route runs: URL and path parameters, body parsing, body size, content type. */
function fastifyProblem(error: unknown): Problem | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as Error & { code?: string; statusCode?: number };
  // Fastify's router refusals, sent here through the adapter's `frameworkErrors`.
  if (code === 'FST_ERR_BAD_URL') {
    return problem(
      'malformed_request',
      400,
      'Bad request',
      'The URL is not valid: a percent-encoding is malformed.',
    );
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return problem('uri_too_long', 414, 'URI too long', 'A path segment of the URL is too long.');
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) {
    return problem('payload_too_large', 413, 'Payload too large', 'The request body is too large.');
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || statusCode === 415) {
    return problem(
      'unsupported_media_type',
      415,
      'Unsupported media type',
      'This content type is not accepted.',
    );
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const detail =
      code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.name === 'SyntaxError'
        ? 'The request body is not valid JSON.'
        : 'The request is malformed.';
    return problem('malformed_request', statusCode, 'Bad request', detail);
  }
  return undefined;
}
