import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppError } from '../errors/app-error';

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

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(position) && position.length === length) return position;
  } catch {
    // fall through
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
