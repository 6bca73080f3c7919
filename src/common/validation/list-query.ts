import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppError } from '../errors/app-error';
import { isTimestamp } from './decorators';

/** `limit` (1–100, default 25) and an opaque `cursor`, shared by every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 25;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the keyset position. */
export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A bigint sequence number, as PostgreSQL's int8 reaches us: text. */
const SEQUENCE = /^\d{1,19}$/;
const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** What a part of a cursor holds, named by the type the list's query casts it to. */
export type CursorPart = 'text' | 'timestamptz' | 'uuid' | 'smallint' | 'bigint';

const isSequence = (value: unknown) =>
  (typeof value === 'string' && SEQUENCE.test(value) && BigInt(value) <= BIGINT_MAX) ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

const PARTS: Record<CursorPart, (value: unknown) => boolean> = {
  text: (value) => typeof value === 'string' && value.length > 0 && value.length <= 64,
  // Null is the position of a row without the time (a ticket with no running SLA deadline).
  timestamptz: (value) => value === null || (typeof value === 'string' && isTimestamp(value)),
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  smallint: (value) => Number.isInteger(value) && Math.abs(value as number) <= 32_767,
  bigint: isSequence,
};

/** A part of a cursor whose list does not say what its parts are: any value a list issues. */
const anyPart = (value: unknown) =>
  value === null ||
  (typeof value === 'number' && Number.isSafeInteger(value)) ||
  PARTS.timestamptz(value) ||
  PARTS.uuid(value) ||
  isSequence(value);

/**
 * The keyset position of a cursor this API issued: `parts` names the kind of each part (or just
 * how many there are, when each may be any timestamp, UUID, sequence number, integer or null).
 * Anything else (an object, a boolean, an array, a fraction, a word; where kinds are named, a part
 * out of its place) is 400 on `cursor`, never a value passed on to a query whose driver cannot type.
 */
export function decodeCursor(cursor: string, parts: number | readonly CursorPart[]): unknown[] {
  const valid =
    typeof parts === 'number' ? Array<typeof anyPart>(parts).fill(anyPart) : parts.map((kind) => PARTS[kind]);
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (
    Array.isArray(position) &&
    position.length === valid.length &&
    position.every((value, index) => valid[index](value))
  ) {
    return position;
  }
  throw AppError.validation([{ field: 'cursor', message: 'is not a cursor this list issued' }]);
}

/** Takes `limit + 1` rows and turns the extra one into the next cursor. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  position: (row: R) => unknown[],
  map: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { data: page.map(map), nextCursor: more ? encodeCursor(position(page[page.length - 1])) : null };
}
