/** What was found where: the kinds of secret SPEC §9 names, and the stretch of text each covers. */

export type SecretKind =
  'mnemonic' | 'private_key' | 'wif' | 'extended_private_key' | 'api_secret' | 'password' | 'otp';

export interface Span {
  /** Absolute character offsets in the whole text, end exclusive. */
  start: number;
  end: number;
  kind: SecretKind;
  /**
   * A 64-hex value redacted only because nothing near it called it a transaction hash: no key
   * label either. The customer is told, in case it was a TXID.
   */
  unlabelledHex?: boolean;
  /** A private key found after a private-key label ("private key:", "私钥"), not by its shape alone. */
  keyLabel?: boolean;
}

/** When two detections cover the same characters, the earlier kind here names the replacement. */
const KIND_PRIORITY: readonly SecretKind[] = [
  'extended_private_key',
  'wif',
  'api_secret',
  'password',
  'otp',
  'private_key',
  'mnemonic',
];

/**
 * One replacement: the union of overlapping detections, named by the longest of them. The first
 * detection is the replacement (extended in place); `namerLength` is the length of the detection
 * that names it, once another has been merged in.
 */
export interface MergedSpan extends Span {
  namerLength?: number;
}

/**
 * Overlapping detections (a password label whose value starts a seed phrase, a labelled API secret
 * that is also 64 hex characters) become one replacement covering their union, so nothing leaks at
 * the edges and nothing is counted twice. The longest detection names it; ties go by KIND_PRIORITY.
 * A merged 64-hex key counts as unlabelled only if every key detection in it was.
 *
 * Spans must come in order of start, longer first on equal starts; they become the replacements.
 */
export function addToMerged(merged: MergedSpan[], span: Span): void {
  const last: MergedSpan | undefined = merged.length > 0 ? merged[merged.length - 1] : undefined;
  if (last && span.start < last.end) {
    const namerLength = last.namerLength ?? last.end - last.start;
    const length = span.end - span.start;
    const outranks =
      length !== namerLength
        ? length > namerLength
        : KIND_PRIORITY.indexOf(span.kind) < KIND_PRIORITY.indexOf(last.kind);
    last.namerLength = outranks ? length : namerLength;
    if (outranks) last.kind = span.kind;
    last.end = Math.max(last.end, span.end);
    if (span.kind === 'private_key')
      last.unlabelledHex = (last.unlabelledHex ?? true) && !!span.unlabelledHex;
    if (span.keyLabel) last.keyLabel = true;
    return;
  }
  span.unlabelledHex = span.kind === 'private_key' ? !!span.unlabelledHex : undefined;
  merged.push(span);
}

/** Orders spans for addToMerged: by start, the longer first. */
export function bySpanOrder(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end;
}
