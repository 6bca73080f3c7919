import type { FieldError } from '../common/errors/app-error';

/** A structured field a ticket of a category takes, as stored in `categories.fields`. */
export interface FieldDefinition {
  name: string;
  type: 'string' | 'integer' | 'decimal';
  required: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  transform?: 'upper' | 'lower';
}

export type FieldValues = Record<string, string | number>;

/**
 * Validates a ticket's `fields` against its category: unknown names, types, patterns, ranges,
 * required fields and "one of" groups. Values are trimmed and transformed (txHash lower-cased,
 * tradingPair upper-cased) before the pattern is checked; every problem is reported by path.
 */
export function validateTicketFields(
  definitions: FieldDefinition[],
  requireOneOf: string[][],
  input: Record<string, unknown> | undefined,
): { values: FieldValues; errors: FieldError[] } {
  const values: FieldValues = {};
  const errors: FieldError[] = [];
  const given = input ?? {};
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));

  for (const [name, raw] of Object.entries(given)) {
    const definition = byName.get(name);
    const field = `fields.${name}`;
    if (!definition) {
      errors.push({ field, message: 'is not a field of this category' });
      continue;
    }
    if (raw === null || raw === undefined || raw === '') continue;
    const result = normalize(definition, raw);
    if ('error' in result) errors.push({ field, message: result.error });
    else values[name] = result.value;
  }
  for (const definition of definitions) {
    if (definition.required && values[definition.name] === undefined && !hasError(errors, definition.name)) {
      errors.push({ field: `fields.${definition.name}`, message: 'is required' });
    }
  }
  for (const group of requireOneOf) {
    if (!group.some((name) => values[name] !== undefined || hasError(errors, name))) {
      errors.push({ field: `fields.${group[0]}`, message: `one of ${group.join(', ')} is required` });
    }
  }
  return { values, errors };
}

function hasError(errors: FieldError[], name: string): boolean {
  return errors.some((error) => error.field === `fields.${name}`);
}

function normalize(
  definition: FieldDefinition,
  raw: unknown,
): { value: string | number } | { error: string } {
  if (definition.type === 'integer') {
    const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value)) return { error: 'must be an integer' };
    if (definition.minimum !== undefined && value < definition.minimum) {
      return { error: `must be at least ${definition.minimum}` };
    }
    if (definition.maximum !== undefined && value > definition.maximum) {
      return { error: `must be at most ${definition.maximum}` };
    }
    return { value };
  }
  if (typeof raw !== 'string') {
    return { error: definition.type === 'decimal' ? 'must be a decimal string' : 'must be a string' };
  }
  let value = raw.trim();
  if (value.length > 500) return { error: 'must be at most 500 characters' };
  if (definition.transform === 'upper') value = value.toUpperCase();
  if (definition.transform === 'lower') value = value.toLowerCase();
  if (definition.pattern && !new RegExp(definition.pattern).test(value)) {
    return {
      error: definition.type === 'decimal' ? 'must be a positive decimal string' : 'has an invalid format',
    };
  }
  return { value };
}
