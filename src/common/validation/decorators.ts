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

/** Names are single-line text; NUL in particular cannot be stored by PostgreSQL. */
export const PlainText = (each = false) =>
  ValidateBy(
    {
      name: 'isPlainText',
      validator: {
        validate: (value) => typeof value !== 'string' || !CONTROL_CHARACTERS.test(value),
        defaultMessage: () => `${each ? 'each value in ' : ''}$property must not contain control characters`,
      },
    },
    { each },
  );

/** Free text may hold line breaks and tabs, but not NUL, which PostgreSQL text and jsonb cannot store. */
export const NoNul = (each = false) =>
  ValidateBy(
    {
      name: 'noNul',
      validator: {
        validate: (value) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: () => `${each ? 'each value in ' : ''}$property must not contain NUL characters`,
      },
    },
    { each },
  );
