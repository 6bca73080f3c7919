import { type AlphanumericRun, KeyDetector } from './key-detector';
import { LabelledValues } from './labelled-values';
import { LIST_NUMBER_REACH, MIN_MNEMONIC_WORDS, MnemonicDetector } from './mnemonic-detector';
import { addToMerged, bySpanOrder, type MergedSpan, type SecretKind, type Span } from './secret-span';
import { BASE58, CHAR_CLASS, FIELD_BREAK, HEX, LETTER } from './text-chars';

/**
 * Secret detection for free text (SPEC §9): seed phrases, keys, exchange API secrets, passwords and
 * one-time codes are replaced by `[REDACTED:<kind>]` before anything is stored.
 *
 * Pure functions over strings, no I/O. One pass over the characters finds words (for seed
 * phrases and labels) and alphanumeric runs (for keys); the text may come in pieces of any size,
 * and the result is the same as for the whole text at once.
 */

export type { SecretKind } from './secret-span';

export interface RedactionResult {
  text: string;
  kinds: Partial<Record<SecretKind, number>>;
  redacted: boolean;
  /**
   * A 64-character hex value was redacted as a private key only because nothing in front of it
   * labelled it a transaction hash (nor a key): the warning says so, in case it was a TXID.
   */
  unlabelledHexKey: boolean;
}

/** What each secret is replaced by. */
const REPLACEMENT: Record<SecretKind, string> = {
  mnemonic: '[REDACTED:mnemonic]',
  private_key: '[REDACTED:private_key]',
  wif: '[REDACTED:wif]',
  extended_private_key: '[REDACTED:extended_private_key]',
  api_secret: '[REDACTED:api_secret]',
  password: '[REDACTED:password]',
  otp: '[REDACTED:otp]',
};

/**
 * How far the detectors look back from where they are (a line's first 300 characters, a label on
 * the line above, a list number, the previous hash of a list) and ahead of it (a label, its
 * separator and a value of up to 256 characters; a one-time code after its label and filler).
 */
const LOOK_BACK = 512;
const LOOK_AHEAD = 512;
/**
 * The letters in a run of hex digits this long or longer (with a digit in it, 0x allowed) are not
 * words: "9fda9df98…" is a hash or a key, never part of a seed phrase or a label. Words in shorter
 * runs, and in runs with other letters ("1abandon2ability…"), are read as usual.
 */
const HEX_RUN_WITHOUT_WORDS = 16;
/** Text is scanned once this much of it has arrived (and the look-ahead after it). */
const SCAN_CHUNK = 64 * 1024;

/**
 * Redacts a text that arrives in pieces (a text attachment as it is read). `write` returns the
 * redacted text that can no longer change, `end` the rest; concatenated, they are what
 * `redactSecrets` returns for the whole text, however the text was cut. It is scanned a chunk at
 * a time, each chunk ending between two characters that are not both letters or digits (no word
 * or key is cut), and held back only while it may still be part of a seed phrase.
 */
export class SecretRedactor {
  readonly kinds: Partial<Record<SecretKind, number>> = {};
  unlabelledHexKey = false;
  /** A private key was found after a private-key label ("private key:", "私钥"), not by its shape alone. */
  labelledPrivateKey = false;

  private readonly mnemonics = new MnemonicDetector();
  private readonly keys = new KeyDetector();
  private readonly labels = new LabelledValues();
  /**
   * Keys and labelled values found in the scanned text, in order, and the seed phrases (the
   * detector's own list); those before the heads have gone into `merged`.
   */
  private readonly found: Span[] = [];
  private spanHead = 0;
  private mnemonicHead = 0;
  /** Replacements not given back yet: the last may still grow. */
  private merged: MergedSpan[] = [];
  /** Offsets in the whole text: what was scanned, and what was given back redacted. */
  private scanned = 0;
  private emitted = 0;
  /** The text just before `scanned` (up to LOOK_BACK characters). */
  private context = '';
  /** The text from `emitted` to `scanned`. */
  private held: string[] = [];
  /** The text from `scanned` on, its length, and how much of it is known to hold no place to cut. */
  private tail: string[] = [];
  private tailLength = 0;
  private uncuttable = 0;
  private ended = false;

  /**
   * `chunkSize`: how much text to gather before scanning (smaller in tests, to cut texts often).
   * `recordSpans`: keep what was replaced where (offsets in the whole text), in `spans`.
   */
  constructor(
    private readonly chunkSize = SCAN_CHUNK,
    recordSpans = false,
  ) {
    this.spans = recordSpans ? [] : undefined;
  }

  /** What was replaced where, in order, when asked for (see the constructor). */
  readonly spans: Span[] | undefined;

  get redacted(): boolean {
    return Object.keys(this.kinds).length > 0;
  }

  write(piece: string): string {
    if (this.ended) throw new Error('SecretRedactor: write after end');
    this.tail.push(piece);
    this.tailLength += piece.length;
    if (this.tailLength < this.chunkSize + LOOK_AHEAD) return '';
    const cut = this.findCut(this.tailLength - LOOK_AHEAD);
    if (cut < 0) return '';
    const pending = this.tail.join('');
    this.scan(pending, cut, false);
    this.tail = [pending.slice(cut)];
    this.tailLength = pending.length - cut;
    this.uncuttable = Math.max(0, this.uncuttable - cut);
    return this.emit(false);
  }

  end(): string {
    if (this.ended) throw new Error('SecretRedactor: end after end');
    this.ended = true;
    const rest = this.tail.join('');
    this.tail = [];
    this.scan(rest, rest.length, true);
    this.mnemonics.finish();
    return this.emit(true);
  }

  /**
   * The last place in the tail, at or before `limit`, right after a character that is neither a
   * letter nor a digit; -1 if there is none (a key or word is still arriving). Each character is
   * looked at once.
   */
  private findCut(limit: number): number {
    let pieceEnd = this.tailLength;
    for (let p = this.tail.length - 1; p >= 0 && pieceEnd > this.uncuttable; p--) {
      const piece = this.tail[p];
      const pieceStart = pieceEnd - piece.length;
      const low = Math.max(this.uncuttable, pieceStart) - pieceStart;
      for (let k = Math.min(limit, pieceEnd) - pieceStart - 1; k >= low; k--) {
        if (CHAR_CLASS[piece.charCodeAt(k)] === 0) return pieceStart + k + 1;
      }
      pieceEnd = pieceStart;
    }
    this.uncuttable = Math.max(this.uncuttable, limit);
    return -1;
  }

  /**
   * Feeds `pending` up to `to` to the detectors in one pass; they may read the rest of it, and the
   * context before it.
   */
  private scan(pending: string, to: number, final: boolean): void {
    const text = this.context + pending;
    const from = this.context.length;
    const end = from + to;
    const base = this.scanned - from;
    const { mnemonics, keys, labels } = this;
    labels.startText();
    let wordStart = -1;
    let gapFrom = from;
    let runStart = -1;
    let digits = 0;
    // Imported bindings are property reads on the module object: read them once, not per character.
    const classes = CHAR_CLASS;
    const letter = LETTER;
    // One step past the end: only the very end of the text can cut a word or a run, and this closes them.
    for (let i = from; i <= end; i++) {
      const flags = i < end ? classes[text.charCodeAt(i)] : 0;
      if (wordStart >= 0 && !(flags & letter)) {
        // A word on its own is read now; one in a run with digits when the run ends.
        if (flags === 0 && digits === 0) {
          mnemonics.word(text, wordStart, i, base, gapFrom);
          labels.word(text, wordStart, i, base);
          gapFrom = i;
        }
        wordStart = -1;
      }
      if (flags !== 0) {
        if (runStart < 0) {
          runStart = i;
          digits = 0;
          if (
            text.charCodeAt(i) === 0x32 &&
            (text.charCodeAt(i + 1) | 32) === 0x66 &&
            (text.charCodeAt(i + 2) | 32) === 0x61
          ) {
            labels.twoFactor(text, i, base);
          }
        }
        if (flags & letter) {
          if (wordStart < 0) wordStart = i;
        } else {
          digits += 1;
        }
      } else if (runStart >= 0) {
        // Neither a letter nor a digit: the end of a run of them.
        const run = describeRun(text, runStart, i);
        // Only the lengths of keys: WIF 51–52, hex 64 (66 with 0x), extended keys 100–120.
        if (run) keys.run(text, run, base);
        if (digits > 0 && !(i - runStart >= HEX_RUN_WITHOUT_WORDS && isHexRun(text, runStart, i))) {
          gapFrom = this.wordsOfRun(text, runStart, i, base, gapFrom);
        }
        runStart = -1;
      }
    }
    if (!final) mnemonics.chunkEnd(text, gapFrom, end);
    labels.scanChinese(text, from, end, base);

    const found = [...keys.found, ...labels.found].sort(bySpanOrder);
    keys.found.length = 0;
    labels.found.length = 0;
    for (const span of found) this.found.push(span);

    this.held.push(pending.slice(0, to));
    this.scanned += to;
    this.context = text.slice(Math.max(0, end - LOOK_BACK), end);
  }

  /** Reads the words of a run of letters and digits (`start` to `end`); returns where the last one ends. */
  private wordsOfRun(text: string, start: number, end: number, base: number, gapFrom: number): number {
    let wordStart = -1;
    for (let i = start; i <= end; i++) {
      const isLetter = i < end && (CHAR_CLASS[text.charCodeAt(i)] & LETTER) !== 0;
      if (isLetter && wordStart < 0) wordStart = i;
      if (!isLetter && wordStart >= 0) {
        this.mnemonics.word(text, wordStart, i, base, gapFrom);
        this.labels.word(text, wordStart, i, base);
        gapFrom = i;
        wordStart = -1;
      }
    }
    return gapFrom;
  }

  /**
   * Gives back the redacted text up to where nothing can change any more: the end of the scanned
   * text, or the start of a possible seed phrase, or of a replacement that may still grow.
   */
  private emit(final: boolean): string {
    // A phrase whose first word is yet to come may take in the list number just before it.
    const until = final ? this.scanned : Math.min(this.scanned - LIST_NUMBER_REACH, this.mnemonics.holdFrom);
    const mnemonicSpans = this.mnemonics.found;
    // Phrases are reported when they end, so two of them may come out of order.
    const unsorted = mnemonicSpans.splice(this.mnemonicHead).sort(bySpanOrder);
    for (const span of unsorted) mnemonicSpans.push(span);

    // Every span that starts before `until` is final, and so is its place among the others.
    const merged = this.merged;
    for (;;) {
      const a = this.found[this.spanHead];
      const b = mnemonicSpans[this.mnemonicHead];
      const next = a && (!b || bySpanOrder(a, b) <= 0) ? a : b;
      if (!next || next.start >= until) break;
      addToMerged(merged, next);
      if (next === a) this.spanHead += 1;
      else this.mnemonicHead += 1;
    }
    this.compactQueues();
    // The last replacement may still grow while it reaches past `until`.
    const open = merged.length > 0 && merged[merged.length - 1].end > until ? merged.pop() : undefined;
    const emitTo = open ? open.start : until;
    this.merged = open ? [open] : [];
    if (emitTo <= this.emitted) return '';

    const held = this.held.join('');
    const out: string[] = [];
    let cursor = 0;
    for (const span of merged) {
      out.push(held.slice(cursor, span.start - this.emitted), REPLACEMENT[span.kind]);
      cursor = span.end - this.emitted;
      this.kinds[span.kind] = (this.kinds[span.kind] ?? 0) + 1;
      this.spans?.push({ start: span.start, end: span.end, kind: span.kind });
      if (span.kind === 'private_key' && span.unlabelledHex) this.unlabelledHexKey = true;
      if (span.keyLabel) this.labelledPrivateKey = true;
    }
    out.push(held.slice(cursor, emitTo - this.emitted));
    this.held = emitTo - this.emitted < held.length ? [held.slice(emitTo - this.emitted)] : [];
    this.emitted = emitTo;
    return out.join('');
  }

  private compactQueues(): void {
    if (this.spanHead > 1024 && this.spanHead * 2 > this.found.length) {
      this.found.splice(0, this.spanHead);
      this.spanHead = 0;
    }
    const mnemonicSpans = this.mnemonics.found;
    if (this.mnemonicHead > 1024 && this.mnemonicHead * 2 > mnemonicSpans.length) {
      mnemonicSpans.splice(0, this.mnemonicHead);
      this.mnemonicHead = 0;
    }
  }
}

/** What a run of letters and digits is made of, if it has the length of a key. */
function describeRun(text: string, start: number, end: number): AlphanumericRun | undefined {
  const length = end - start;
  if (!(
    length === 51 ||
    length === 52 ||
    length === 64 ||
    length === 66 ||
    (length >= 100 && length <= 120)
  )) {
    return undefined;
  }
  let nonHex = 0;
  let firstNonHex = -1;
  let nonBase58 = 0;
  for (let i = start; i < end; i++) {
    const flags = CHAR_CLASS[text.charCodeAt(i)];
    if (!(flags & HEX) && nonHex++ === 0) firstNonHex = i;
    if (!(flags & BASE58)) nonBase58 += 1;
  }
  return { start, end, nonHex, firstNonHex, nonBase58 };
}

/** Hex digits only, or 0x and hex digits. */
function isHexRun(text: string, start: number, end: number): boolean {
  const from =
    text[start] === '0' && (text[start + 1] === 'x' || text[start + 1] === 'X') ? start + 2 : start;
  for (let i = from; i < end; i++) if (!(CHAR_CLASS[text.charCodeAt(i)] & HEX)) return false;
  return true;
}

export function redactSecrets(text: string): RedactionResult {
  const redactor = new SecretRedactor();
  const out = redactWith(redactor, text);
  return {
    text: out,
    kinds: redactor.kinds,
    redacted: redactor.redacted,
    unlabelledHexKey: redactor.unlabelledHexKey,
  };
}

/** In chunks, as an attachment is read: what is found is replaced and let go of as it goes. */
function redactWith(redactor: SecretRedactor, text: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += SCAN_CHUNK) out.push(redactor.write(text.slice(i, i + SCAN_CHUNK)));
  out.push(redactor.end());
  return out.join('');
}

/**
 * What stands between two values of one submission when they are read as one text: a line break,
 * after FIELD_BREAK, which labels treat as the end of their text (a label ending the subject does
 * not take the description's first line) and seed phrases as white space.
 */
const FIELD_SEPARATOR = `${FIELD_BREAK}\n`;

/**
 * Redacts several named free-text values of one submission (a ticket's subject and description)
 * as one text, one value per line, so that a secret split between them (six words of a seed
 * phrase in the subject, six in the description) is found, while a label ending one value never
 * takes the start of the next (see FIELD_SEPARATOR); each value gets the replacement for its part
 * of it, and the secret is counted once. A seed phrase complete in one value (twelve words or more there) does not reach
 * into the next over list words that only happen to stand next to it ("Thanks").
 */
export function redactFields<T extends Record<string, string | undefined>>(
  values: T,
): { values: T; kinds: Partial<Record<SecretKind, number>>; redacted: boolean; unlabelledHexKey: boolean } {
  const given = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const redactor = new SecretRedactor(SCAN_CHUNK, true);
  const joined = given.map(([, value]) => value).join(FIELD_SEPARATOR);
  redactWith(redactor, joined);
  const bounds: { start: number; end: number }[] = [];
  let offset = 0;
  for (const [, value] of given) {
    bounds.push({ start: offset, end: offset + value.length });
    offset += value.length + FIELD_SEPARATOR.length;
  }
  // Each span, cut into its parts in each value; a phrase that reaches over into another value is
  // kept only where it has twelve words, if it has them somewhere.
  const parts: Span[][] = bounds.map(() => []);
  for (const span of redactor.spans!) {
    const cut = bounds
      .map((bound, index) => ({
        index,
        start: Math.max(span.start, bound.start),
        end: Math.min(span.end, bound.end),
      }))
      .filter((part) => part.end > part.start);
    const whole =
      cut.length > 1 && span.kind === 'mnemonic'
        ? cut.filter((part) => countWords(joined, part.start, part.end) >= MIN_MNEMONIC_WORDS)
        : [];
    for (const part of whole.length > 0 ? whole : cut) {
      parts[part.index].push({ start: part.start, end: part.end, kind: span.kind });
    }
  }
  const out: Record<string, string | undefined> = { ...values };
  given.forEach(([name, value], index) => {
    const { start } = bounds[index];
    const pieces: string[] = [];
    let cursor = start;
    for (const part of parts[index]) {
      pieces.push(value.slice(cursor - start, part.start - start), REPLACEMENT[part.kind]);
      cursor = part.end;
    }
    pieces.push(value.slice(cursor - start));
    out[name] = pieces.join('');
  });
  return {
    values: out as T,
    kinds: redactor.kinds,
    redacted: redactor.redacted,
    unlabelledHexKey: redactor.unlabelledHexKey,
  };
}

/** How many runs of letters `text` has from `start` to `end`. */
function countWords(text: string, start: number, end: number): number {
  let words = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const letter = (CHAR_CLASS[text.charCodeAt(i)] & LETTER) !== 0;
    if (letter && !inWord) words += 1;
    inWord = letter;
  }
  return words;
}
