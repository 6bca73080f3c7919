import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

const logger = new Logger('ProblemFilter');

/**
 * What of an unexpected error is logged: its kind, message, code and stack, never the properties a
 * library hangs on it (TypeORM's QueryFailedError carries the statement's parameters: what callers typed).
 */
function loggable(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(code === undefined ? {} : { code }),
    stack: error.stack,
  };
}

/** Answers any error as application/problem+json; logs only the unexpected ones. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { problem, unexpected } = toProblem(error);
  if (unexpected !== undefined) {
    logger.error({ reqId: request.id, err: loggable(unexpected) }, 'Unexpected error');
  }
  const retryAfter = problem.retryAfter;
  if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
  void reply
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problem, instance: request.url.split('?')[0] }));
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
