import type { IncomingMessage } from 'node:http';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';

/**
 * The parts of a multipart/form-data request in arrival order, with the file's bytes as a stream
 * that is never buffered whole, and @fastify/multipart's and busboy's failures turned into the
 * desk's errors (an oversized file is 413, a second file or a broken body 400, not multipart 415).
 */
export type FormPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string | undefined; content: AsyncIterable<Buffer> };

export async function* multipartForm(
  request: FastifyRequest,
  maxFileBytes: number,
): AsyncGenerator<FormPart> {
  let parts: AsyncIterableIterator<Multipart>;
  try {
    parts = request.parts();
  } catch (error) {
    throw formError(error, maxFileBytes);
  }
  let readToTheEnd = false;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated || typeof part.value !== 'string') {
          throw AppError.validation([{ field: part.fieldname, message: 'is too long' }]);
        }
        yield { kind: 'field', name: part.fieldname, value: part.value };
      } else {
        yield {
          kind: 'file',
          name: part.fieldname,
          filename: part.filename || undefined,
          content: fileContent(part.file, maxFileBytes),
        };
      }
    }
    readToTheEnd = true;
  } catch (error) {
    throw formError(error, maxFileBytes);
  } finally {
    if (!readToTheEnd) discardRest(request.raw);
  }
}

/** How long the rest of a refused upload is read and dropped before the connection is cut. */
const LINGER_MS = 30_000;

/**
 * An answer given before the body was read (a refused type, 413, a bad field) leaves the client
 * still sending and the connection stuck mid-request. Like nginx's lingering close, the rest is
 * read and dropped for a while, so the client sees the answer and the connection can serve the
 * next request; past that time the connection is closed.
 */
function discardRest(raw: IncomingMessage): void {
  if (raw.readableEnded || raw.destroyed) return;
  raw.unpipe();
  const timer = setTimeout(() => raw.destroy(), LINGER_MS).unref();
  raw.once('close', () => clearTimeout(timer));
  raw.once('end', () => clearTimeout(timer));
  raw.resume();
}

interface LimitedStream extends AsyncIterable<Buffer> {
  truncated: boolean;
  on(event: 'limit', listener: () => void): unknown;
}

/** The file's bytes; fails with 413 as soon as the size limit is passed, instead of ending short. */
async function* fileContent(file: LimitedStream, maxFileBytes: number): AsyncGenerator<Buffer> {
  let overLimit = false;
  file.on('limit', () => {
    overLimit = true;
  });
  try {
    for await (const chunk of file) {
      if (overLimit || file.truncated) throw tooLarge(maxFileBytes);
      yield chunk;
    }
  } catch (error) {
    throw formError(error, maxFileBytes);
  }
  if (overLimit || file.truncated) throw tooLarge(maxFileBytes);
}

function tooLarge(maxFileBytes: number): AppError {
  return new AppError('payload_too_large', `The file is larger than the limit of ${maxFileBytes} bytes.`);
}

function formError(error: unknown, maxFileBytes: number): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  switch ((error as Error & { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxFileBytes);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'The request must be multipart/form-data.');
    case 'FST_FILES_LIMIT':
      return AppError.validation([{ field: 'file', message: 'only one file may be sent per request' }]);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return AppError.validation([], 'The form has too many fields.');
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
      return AppError.validation([], 'The multipart body is malformed or incomplete.');
  }
  // busboy's own errors carry no code: a body cut short, a missing boundary.
  if (/multipart|terminated early|boundary/i.test(error.message)) {
    return AppError.validation([], 'The multipart body is malformed or incomplete.');
  }
  return error;
}
