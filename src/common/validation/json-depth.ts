/** How deep a JSON body may nest: far beyond any DTO here (`fields` objects are two levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * The member of a parsed JSON body that nests deeper than `max` levels (the body itself is level
 * 1): its top-level name, or `body` when the body is not an object. Undefined when none does.
 *
 * Deep nesting is cheap to send (a 1 MiB body holds half a million levels of `[`) and the
 * validation pipe's class-transformer recurses once per level until the stack overflows: such a
 * body must be refused before it. The walk here keeps its own stack, so it cannot overflow.
 */
export function memberNestedTooDeep(body: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const pending: { value: unknown; depth: number; member: string }[] = [];
  const push = (value: unknown, depth: number, member: string) => {
    if (typeof value === 'object' && value !== null) pending.push({ value, depth, member });
  };
  if (isPlainObject(body)) {
    for (const [key, value] of Object.entries(body)) push(value, 2, key);
  } else if (Array.isArray(body)) {
    push(body, 1, 'body');
  }
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth, member } = next;
    if (depth > max) return member;
    if (Array.isArray(value)) {
      for (const item of value) push(item, depth + 1, member);
    } else if (isPlainObject(value)) {
      for (const item of Object.values(value)) push(item, depth + 1, member);
    }
  }
  return undefined;
}

/** Only what JSON.parse makes is walked: a Buffer or stream body is not a JSON value. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
