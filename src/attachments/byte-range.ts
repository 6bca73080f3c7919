/**
 * `Range: bytes=…` for downloads (RFC 9110 §14), one range per request: what video players and
 * resumed downloads send. Pure: the header and the stored size in, the answer out.
 */

export type RangeAnswer =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const FIRST_LAST = /^(\d+)-(\d*)$/;
const SUFFIX = /^-(\d+)$/;

/**
 * `a-b`, `a-` and `-n` (the last n bytes), inclusive positions; an end past the file is cut to
 * the file. A start at or past the end, `-0`, or an end before the start cannot be satisfied (416).
 * No header, another unit, several ranges or a malformed value: the whole file (RFC 9110 lets a
 * server ignore what it does not support).
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'full' };
  const match = /^bytes=(.*)$/i.exec(header.trim());
  if (!match) return { kind: 'full' };
  const spec = match[1].trim();
  const firstLast = FIRST_LAST.exec(spec);
  if (firstLast) {
    const start = Number(firstLast[1]);
    const end = firstLast[2] === '' ? size - 1 : Number(firstLast[2]);
    if (start >= size || end < start) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start, end: Math.min(end, size - 1) };
  }
  const suffix = SUFFIX.exec(spec);
  if (suffix) {
    const length = Number(suffix[1]);
    if (length === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  return { kind: 'full' };
}
