import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors/app-error';

/** The strong ETag of a resource at `version` (SPEC §12: `"<version>"`). */
export const etagOf = (version: number): string => `"${version}"`;

/** True when an `If-Match` header lists the ETag of `version`, or is `*` (strong comparison: W/ tags never match). */
export function etagMatches(ifMatch: string, version: number): boolean {
  return ifMatch
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etagOf(version));
}

/** The 412 answered when `If-Match` names a version the resource has moved past. */
export function staleVersion(what: string, version: number): AppError {
  return new AppError('precondition_failed', `The ${what} has changed (current ETag ${etagOf(version)}).`);
}

/**
 * The version an UPDATE must still find for `If-Match` to hold, checked in its WHERE clause so a
 * concurrent change cannot slip between the check and the write. Undefined without `If-Match` (any
 * version); throws 412 when the header names none of the current one.
 */
export function expectedVersion(
  what: string,
  ifMatch: string | undefined,
  current: number,
): number | undefined {
  if (ifMatch === undefined) return undefined;
  if (!etagMatches(ifMatch, current)) throw staleVersion(what, current);
  return current;
}

/** Sets the ETag of `version` on the reply: single-resource reads and writes answer with it. */
export function sendEtag<T>(reply: FastifyReply, version: number, body: T): T {
  void reply.header('ETag', etagOf(version));
  return body;
}

/** OpenAPI for a PATCH that honours If-Match. */
export const ApiIfMatch = (what: string) =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: `The ETag of the ${what} as read; 412 if it has changed since.`,
    }),
    ApiPreconditionFailedResponse({ description: `If-Match does not match the ${what}'s current ETag.` }),
  );

/** OpenAPI for an answer that carries the resource's ETag. */
export const ETAG_HEADER = {
  ETag: { description: 'Strong ETag `"<version>"`.', schema: { type: 'string' } },
};
