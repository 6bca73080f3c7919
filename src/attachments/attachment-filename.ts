/**
 * An uploaded file's name is display metadata only (the bytes are stored by id): these pure
 * functions turn whatever the client sent into a name that is safe to show and to offer as a
 * download name, and build the download's Content-Disposition from it.
 */

export const MAX_FILENAME_BYTES = 255;

/** Halves of surrogate pairs that lost their other half (not valid in UTF-8). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** C0 and C1 controls, DEL, line/paragraph separators, and the invisible characters used to spoof names. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
/** Characters Windows refuses in a name, and quotes that would end a header parameter. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The name to keep: its last path segment (either separator), NFC, any run of white space (tabs and
 * line breaks too) as one space, without other control, bidi-override or zero-width characters,
 * trimmed of spaces and leading/trailing dots, at most 255 UTF-8 bytes.
 * Its extension must be one of the detected type's (`evil.html` holding a PNG becomes
 * `evil.html.png`), so a downloaded file never opens as something else. Never empty: `attachment.<ext>`.
 */
export function cleanFilename(raw: string | undefined, extensions: readonly string[]): string {
  const [preferred] = extensions;
  const segment = (raw ?? '').replace(LONE_SURROGATE, '').split(/[/\\]/).at(-1) ?? '';
  let name = segment
    .normalize('NFC')
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (name === '') return `attachment.${preferred}`;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (!extensions.includes(extension)) name = `${name}.${preferred}`;
  return truncateKeepingExtension(name);
}

/** Cuts the base name (never inside a character) until the whole name fits in 255 bytes. */
function truncateKeepingExtension(name: string): string {
  if (utf8Length(name) <= MAX_FILENAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const budget = MAX_FILENAME_BYTES - utf8Length(extension);
  let base = '';
  for (const char of name.slice(0, name.length - extension.length)) {
    if (utf8Length(base + char) > budget) break;
    base += char;
  }
  return base.replace(/[\s.]+$/u, '') + extension;
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** RFC 8187 attr-char: everything else in `filename*` is percent-encoded. */
const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function encodeRfc8187(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A printable-ASCII stand-in for clients without RFC 6266 `filename*`: accents dropped, the rest `_`. */
export function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

/** `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266). */
export function contentDisposition(name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}
