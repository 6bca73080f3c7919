// The entry without Node's stream helpers: its exports have a `default` condition, which Jest's
// resolver needs (the root entry offers only `import`/`module-sync`); detection is the same.
import { fileTypeFromBuffer } from 'file-type/core';

/**
 * What an attachment is, decided by its own bytes (SPEC §8): the magic numbers file-type knows
 * for the allowed binary formats, else plain UTF-8 text by the rules of `isPlainText`. The name
 * and the client's Content-Type are never asked. Each type is served back with a fixed
 * Content-Type, and a download name must end in one of its extensions.
 */

export const TEXT_PLAIN = 'text/plain; charset=utf-8';

export const ATTACHMENT_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
  'video/mp4': ['mp4'],
  [TEXT_PLAIN]: ['txt', 'log', 'text', 'md'],
} as const satisfies Record<string, readonly string[]>;

export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;
export const CONTENT_TYPES = Object.keys(ATTACHMENT_TYPES) as AttachmentContentType[];

/** How much of the start of a file is read before deciding (file-type's own detection window). */
export const SNIFF_BYTES = 4100;
/** How much of a text is checked for markup (HTML, SVG, XML). */
export const MARKUP_SNIFF_BYTES = 1024;

/** file-type's extensions that are allowed, and as what (an animated PNG is a PNG). */
const BY_DETECTED_EXTENSION: Record<string, AttachmentContentType> = {
  png: 'image/png',
  apng: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
};

/**
 * The type of a file from its first bytes (`complete` when that is the whole file). Text is only a
 * candidate here: the caller reads the rest and checks all of it with `isPlainText`.
 * Undefined: not allowed (an executable, HTML, SVG, XML, an archive, an unknown binary).
 */
export async function sniffContentType(
  head: Uint8Array,
  complete: boolean,
): Promise<AttachmentContentType | undefined> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return BY_DETECTED_EXTENSION[detected.ext];
  return isPlainText(head, complete) ? TEXT_PLAIN : undefined;
}

const STRICT_UTF8 = { fatal: true, ignoreBOM: true } as const;
/** C0 controls other than tab, line feed, vertical tab, form feed and carriage return; and DEL. */
const BINARY_BYTE = (byte: number) =>
  (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0b && byte !== 0x0c && byte !== 0x0d) ||
  byte === 0x7f;
const C1_CONTROL = /[\u0080-\u009f]/;

/** A document that starts as markup: a tag, a declaration (`<!DOCTYPE`, `<!--`), a processing instruction (`<?xml`). */
const LEADING_MARKUP = /^\s*<(?:[!?/]|[a-z][a-z0-9:-]*(?:[\s/>]|$))/i;
/** Tags that make a browser (or an XML reader) treat text as a document, wherever they appear. */
const ACTIVE_MARKUP =
  /<(?:\?xml|!doctype|!\[cdata\[|a\s+href|(?:html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|math|style|link|meta|base|form|img|video|audio|template|xsl:[a-z-]+)(?=[\s/>]|$))/i;

/**
 * Plain text: valid UTF-8 (a BOM is allowed), no NUL or other binary control characters, and not
 * HTML, SVG or XML in its first KiB. With `complete` false the bytes are a prefix and may end
 * inside a character.
 */
export function isPlainText(bytes: Uint8Array, complete = true): boolean {
  if (bytes.some(BINARY_BYTE)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', STRICT_UTF8).decode(bytes, { stream: !complete });
  } catch {
    return false;
  }
  if (C1_CONTROL.test(text)) return false;
  return !looksLikeMarkup(bytes.subarray(0, MARKUP_SNIFF_BYTES));
}

export function looksLikeMarkup(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8').decode(head).replace(/^\ufeff/, '');
  return LEADING_MARKUP.test(text) || ACTIVE_MARKUP.test(text);
}
