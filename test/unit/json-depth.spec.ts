import { memberNestedTooDeep } from '../../src/common/validation/json-depth';

/** `depth` levels of `{"a": …}` around 1. */
const nest = (depth: number): unknown => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

describe('memberNestedTooDeep', () => {
  it('passes flat and shallow bodies, and what is not a JSON value', () => {
    expect(memberNestedTooDeep({ subject: 'x', fields: { currency: 'USDT' }, tags: ['a'] })).toBeUndefined();
    expect(memberNestedTooDeep(undefined)).toBeUndefined();
    expect(memberNestedTooDeep(null)).toBeUndefined();
    expect(memberNestedTooDeep('text')).toBeUndefined();
    expect(memberNestedTooDeep(Buffer.from('[[[['))).toBeUndefined();
  });

  it('counts the body as level 1: a member holding nest(n) is n + 1 levels deep', () => {
    // {"fields": nest(31)}: body 1 + 31 levels of objects = 32, the limit.
    expect(memberNestedTooDeep({ fields: nest(31) })).toBeUndefined();
    expect(memberNestedTooDeep({ fields: nest(32) })).toBe('fields');
    expect(memberNestedTooDeep({ fields: nest(2) }, 3)).toBeUndefined();
    expect(memberNestedTooDeep({ fields: nest(3) }, 3)).toBe('fields');
  });

  it('names the top-level member that goes too deep, through arrays too', () => {
    expect(memberNestedTooDeep({ ok: nest(3), extra: [[[[nest(40)]]]] })).toBe('extra');
  });

  it('names the body when a bare array goes too deep', () => {
    expect(memberNestedTooDeep(JSON.parse('['.repeat(33) + ']'.repeat(33)))).toBe('body');
    expect(memberNestedTooDeep(JSON.parse('['.repeat(32) + ']'.repeat(32)))).toBeUndefined();
  });

  it('walks half a million levels without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(500_000) + ']'.repeat(500_000)) as unknown;
    expect(memberNestedTooDeep(deep)).toBe('body');
  });
});
