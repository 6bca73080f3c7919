/**
 * Character classes the scanner looks up once per character (one table read instead of several
 * comparisons or a regular expression).
 */

export const LETTER = 1;
export const DIGIT = 2;
export const HEX = 4;
export const BASE58 = 8;

export const CHAR_CLASS = new Uint8Array(0x10000);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  let flags = 0;
  if (/[A-Za-z]/.test(char)) flags |= LETTER;
  if (/\d/.test(char)) flags |= DIGIT;
  if (/[0-9a-fA-F]/.test(char)) flags |= HEX;
  if (/[1-9A-HJ-NP-Za-km-z]/.test(char)) flags |= BASE58;
  CHAR_CLASS[code] = flags;
}

/** The characters JavaScript's `\s` matches. */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** The text between the start of the line and `index`, looking back at most 300 characters. */
export function lineBefore(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 300), index);
  return before.slice(before.lastIndexOf('\n') + 1);
}

/**
 * Ends one value of a submission read as one text (a ticket's subject, before its description):
 * U+2029 PARAGRAPH SEPARATOR, white space to every detector. A label's value never starts after it
 * (the subject's "password:" does not take the description's first line); a seed phrase goes on
 * over it.
 */
export const FIELD_BREAK_CODE = 0x2029;
export const FIELD_BREAK = String.fromCharCode(FIELD_BREAK_CODE);
