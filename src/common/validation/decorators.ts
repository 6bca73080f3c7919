import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf } from 'class-validator';

/**
 * Optional, but when present it must be valid: unlike @IsOptional(), null is rejected, not skipped.
 * The rule for body members; @IsOptional() is for query strings only, which cannot carry a null.
 */
export const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/**
 * Optional, and null is a value of its own that clears the member (`assigneeId: null` unassigns):
 * neither absent nor null is validated, anything else must be valid. The service must handle null.
 */
export const NullableIfPresent = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null);

/** Null means the same as leaving the member out (a rating without comment); use with IfPresent(). */
export const NullAsAbsent = () =>
  Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * A JSON string may carry a lone UTF-16 surrogate (`"\ud800"`), which is no character at all: the
 * database driver would store it as U+FFFD, or refuse it in an array. Text must be well-formed.
 */
const wellFormed = (value: string) => !LONE_SURROGATE.test(value);

// With the u flag, a surrogate pair is one code point: only a lone surrogate is a `Cs` code point.
const LONE_SURROGATE = /\p{Cs}/u;

const eachOf = (each: boolean) => (each ? 'each value in ' : '');

/** Names are single-line text; NUL in particular cannot be stored by PostgreSQL; nor can lone surrogates. */
export const PlainText = (each = false) =>
  ValidateBy(
    {
      name: 'isPlainText',
      validator: {
        validate: (value) =>
          typeof value !== 'string' || (!CONTROL_CHARACTERS.test(value) && wellFormed(value)),
        defaultMessage: (args) =>
          [args?.value].flat().some((value) => typeof value === 'string' && !wellFormed(value))
            ? `${eachOf(each)}$property must be valid Unicode text (no unpaired surrogates)`
            : `${eachOf(each)}$property must not contain control characters`,
      },
    },
    { each },
  );

/**
 * Free text may hold line breaks and tabs, but not NUL, which PostgreSQL text and jsonb cannot
 * store, nor lone surrogates (see `wellFormed`).
 */
export const NoNul = (each = false) =>
  ValidateBy(
    {
      name: 'noNul',
      validator: {
        validate: (value) => typeof value !== 'string' || (!value.includes('\u0000') && wellFormed(value)),
        defaultMessage: (args) =>
          [args?.value].flat().some((value) => typeof value === 'string' && value.includes('\u0000'))
            ? `${eachOf(each)}$property must not contain NUL characters`
            : `${eachOf(each)}$property must be valid Unicode text (no unpaired surrogates)`,
      },
    },
    { each },
  );

/** Text that says something: not empty and not only white space (a blank reply or description). */
export const NotBlank = () =>
  ValidateBy({
    name: 'notBlank',
    validator: {
      validate: (value) => typeof value !== 'string' || /\S/u.test(value),
      defaultMessage: () => '$property must not be blank',
    },
  });

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/** The largest time zone offset in use (UTC+14:00, Kiribati; the lowest is UTC-12:00). */
const MAX_OFFSET_MINUTES = 14 * 60;

/** True for an ISO-8601 date or date-time (extended format) PostgreSQL's timestamptz reads as written. */
export function isTimestamp(value: string): boolean {
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const realDate = year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const realTime = hour <= 23 && minute <= 59 && second <= 59 && offsetMinutes <= 59;
  return realDate && realTime && offsetHours * 60 + offsetMinutes <= MAX_OFFSET_MINUTES;
}

/**
 * An ISO-8601 date or date-time with a real calendar date and a time zone offset within ±14:00:
 * IsISO8601 takes offsets up to ±23:59 (and week or ordinal dates), which PostgreSQL refuses.
 */
export const IsTimestamp = () =>
  ValidateBy({
    name: 'isTimestamp',
    validator: {
      validate: (value) => typeof value === 'string' && isTimestamp(value),
      defaultMessage: () =>
        '$property must be an ISO-8601 date-time such as 2024-01-31T09:00:00Z, with an offset within ±14:00',
    },
  });
