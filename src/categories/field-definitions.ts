import type { FieldError } from '../common/errors/app-error';

export const FIELD_TYPES = ['string', 'integer', 'decimal'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TRANSFORMS = ['upper', 'lower'] as const;
export type FieldTransform = (typeof FIELD_TRANSFORMS)[number];

/** A structured field a ticket of a category takes, as stored in `categories.fields`. */
export interface FieldDefinition {
  name: string;
  type: FieldType;
  required: boolean;
  /** A JavaScript regular expression the (trimmed, transformed) value must match. */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  /** Applied to the value before it is validated and stored. */
  transform?: FieldTransform;
}

/** True when `pattern` compiles as a JavaScript regular expression. */
export function isRegExpSource(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Keeps the keys a definition has, in the order the seed writes them, and drops anything else. */
export function toFieldDefinition(input: FieldDefinition): FieldDefinition {
  const definition: FieldDefinition = { name: input.name, type: input.type, required: input.required };
  if (input.pattern !== undefined) definition.pattern = input.pattern;
  if (input.minimum !== undefined) definition.minimum = input.minimum;
  if (input.maximum !== undefined) definition.maximum = input.maximum;
  if (input.transform !== undefined) definition.transform = input.transform;
  return definition;
}

/**
 * The rules between field definitions that a single field's validation cannot see: unique names, bounds
 * that fit the type, and `requireOneOf` groups naming defined fields. Each problem is named by its path.
 */
export function fieldDefinitionErrors(fields: FieldDefinition[], requireOneOf: unknown[][]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const path = `fields.${index}`;
    if (seen.has(field.name))
      errors.push({ field: `${path}.name`, message: `duplicates field "${field.name}"` });
    seen.add(field.name);
    const numeric = field.type === 'integer' || field.type === 'decimal';
    for (const bound of ['minimum', 'maximum'] as const) {
      const value = field[bound];
      if (value === undefined) continue;
      if (!numeric) {
        errors.push({ field: `${path}.${bound}`, message: 'is only allowed on integer and decimal fields' });
      } else if (field.type === 'integer' && !Number.isInteger(value)) {
        errors.push({ field: `${path}.${bound}`, message: 'must be an integer on an integer field' });
      }
    }
    if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum) {
      errors.push({ field: `${path}.maximum`, message: 'must not be less than minimum' });
    }
    if (field.transform !== undefined && field.type !== 'string') {
      errors.push({ field: `${path}.transform`, message: 'is only allowed on string fields' });
    }
  });
  requireOneOf.forEach((group, groupIndex) => {
    group.forEach((name, index) => {
      const path = `requireOneOf.${groupIndex}.${index}`;
      if (typeof name !== 'string') {
        errors.push({ field: path, message: 'must be a field name' });
      } else if (!seen.has(name)) {
        errors.push({ field: path, message: `names field "${name}", which the category does not define` });
      }
    });
  });
  return errors;
}
