import { ValidateBy, ValidateIf } from 'class-validator';

/** Optional, but when present it must be valid: unlike @IsOptional(), null is rejected, not skipped. */
export const IfPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

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
