import { wordlist as ENGLISH_WORDLIST } from '@scure/bip39/wordlists/english.js';
import type { Span } from './secret-span';
import { isWhitespace } from './text-chars';

/**
 * BIP39 seed phrases (SPEC §9): runs of 12 or more word-list words, checksum or not, fed one word
 * at a time so that a phrase split over any number of lines or chunks is found whole.
 *
 * @scure/bip39 ships ES modules only. The compiled CommonJS app loads it with Node's require(esm)
 * (Node >= 20.19, as package.json's engines demand); jest compiles it through test/support/esm-transform.js.
 */
const WORDLIST: readonly string[] = ENGLISH_WORDLIST;

export const MIN_MNEMONIC_WORDS = 12;

/**
 * How many list words must stand between two tolerated words that are not near misses of list
 * words (a stray "and", a word off the list that is no typo): at most one in six words of a run,
 * never two in a row. Near misses (typos) need none (see RunTracker).
 */
const WORDS_BETWEEN_TOLERATED = 5;

/**
 * A tolerated word is counted towards the 12, as a mistyped list word ("wrth" for "worth": a typo
 * inside the first four letters), unless it is shorter than three letters or one of these: the
 * words prose joins list words with, which no one mistypes a list word into. None is a list word.
 */
const FUNCTION_WORDS = [
  'the', 'and', 'for', 'with', 'are', 'not', 'from', 'but', 'was', 'were', 'been', 'has', 'had', 'its',
  'his', 'her', 'him', 'she', 'our', 'their', 'these', 'those', 'which', 'who', 'whom', 'why', 'how',
  'would', 'could', 'may', 'might', 'does', 'did', 'your', 'onto', 'each', 'every', 'most', 'both',
  'after', 'unless', 'while', 'whether', 'however', 'yes', 'nor', 'yet', 'per', 'via', 'here', 'new',
  'get', 'got', 'let', 'out', 'too', 'see',
]; // prettier-ignore

/**
 * Very common English words that are list words (1.3 % of the list: 99.9 % of random 10-word
 * stretches have two or fewer). Prose is full of them; a tolerated word with more than two of them
 * among the ten list words around it is not let into a run (see readsLikePhrase). Over 2 MB of
 * English prose (package READMEs, code removed) tolerance with no such check joins list words into
 * 12 about 15 times; with it and the check on how words are written, 3 times (and 12 list words in
 * a row, which need no tolerance and are always redacted, twice).
 */
const COMMON_WORDS = [
  'this', 'that', 'you', 'will', 'can', 'have', 'when', 'all', 'any', 'also', 'only', 'other', 'more',
  'like', 'then', 'there', 'over', 'want', 'need', 'same', 'one', 'just', 'about', 'into', 'what',
  'they', 'very',
]; // prettier-ignore

// Words are looked up by the number their letters spell in base 26 ("abc" = 0·26² + 1·26 + 2):
// BIP39 words are unique in their first four letters; three-letter words must match exactly.
const LIST_PREFIX = new Uint8Array(26 ** 4);
const LIST_THREE = new Uint8Array(26 ** 3);
const IS_LIST = 1;
const IS_COMMON = 2;

/** The number the first `length` letters from `start` spell, in either case (ASCII letters only). */
function codeOf(text: string, start = 0, length = text.length - start): number {
  let code = 0;
  for (let i = start; i < start + length; i++) code = code * 26 + (text.charCodeAt(i) | 32) - 97;
  return code;
}

/** The list word of each four-letter prefix. */
const WORD_OF_PREFIX = new Map<number, string>();
for (const word of WORDLIST) {
  if (word.length === 3) LIST_THREE[codeOf(word)] = IS_LIST;
  else {
    LIST_PREFIX[codeOf(word, 0, 4)] = IS_LIST;
    WORD_OF_PREFIX.set(codeOf(word, 0, 4), word);
  }
}
/**
 * Whether a word is a list word inflected: a list word with -s, -es, -ed or -ing ("acts",
 * "added", "ranges", "closed"), or a word longer than the list word its first four letters match
 * that ends in -ed or -ing ("happened"). Prose inflects the words it uses; a seed phrase never does,
 * so such a word ends any run ("deposit arrived late, balance wrong, order history empty, …").
 */
function isInflectedForm(text: string, start: number, length: number, flags: number): boolean {
  if (length < 4) return false;
  const last = text.charCodeAt(start + length - 1) | 32;
  const beforeLast = text.charCodeAt(start + length - 2) | 32;
  const verb =
    (last === 0x64 && beforeLast === 0x65) || // -ed
    (last === 0x67 && beforeLast === 0x6e && (text.charCodeAt(start + length - 3) | 32) === 0x69); // -ing
  if (!verb && last !== 0x73) return false;
  // "happened" (not "happy"): a verb ending after the four letters of a shorter list word. An "s"
  // there may be a typo ("finess" for "fitness"), so only a list word with "s" is a plural.
  if (verb && flags & IS_LIST && length > 4) {
    const word = WORD_OF_PREFIX.get(codeOf(text, start, 4));
    if (word !== undefined && length > word.length) return true;
  }
  return length <= LONGEST_INFLECTED && isInflected(text.slice(start, start + length).toLowerCase());
}

/** Flags of the word `text.slice(start, start + length)`: IS_LIST, and IS_COMMON too for the common words. */
function flagsOf(text: string, start = 0, length = text.length - start): number {
  if (length < 3) return 0;
  return length === 3 ? LIST_THREE[codeOf(text, start, 3)] : LIST_PREFIX[codeOf(text, start, 4)];
}
for (const word of COMMON_WORDS) {
  if (!WORDLIST.includes(word)) throw new Error(`${word} is not a BIP39 word`);
  if (word.length === 3) LIST_THREE[codeOf(word)] |= IS_COMMON;
  else LIST_PREFIX[codeOf(word, 0, 4)] |= IS_COMMON;
}
/** By the number their letters spell (exact up to 11 letters). */
const FUNCTION_WORD_CODES = new Set(FUNCTION_WORDS.map((word) => codeOf(word)));
const LONGEST_FUNCTION_WORD = Math.max(...FUNCTION_WORDS.map((word) => word.length));
for (const word of FUNCTION_WORDS) {
  if (flagsOf(word) & IS_LIST) throw new Error(`${word} is a BIP39 word`);
}
/** The first three letters of the function words: a word that starts otherwise is not one. */
const FUNCTION_WORD_STARTS = new Uint8Array(26 ** 3);
for (const word of FUNCTION_WORDS) FUNCTION_WORD_STARTS[codeOf(word, 0, 3)] = 1;

function isFunctionWord(text: string, start: number, length: number): boolean {
  return (
    length <= LONGEST_FUNCTION_WORD &&
    FUNCTION_WORD_STARTS[codeOf(text, start, 3)] === 1 &&
    FUNCTION_WORD_CODES.has(codeOf(text, start, length))
  );
}

/**
 * Every list word, and every list word with one letter left out: a word is a near miss of the list
 * (one letter wrong, missing, extra or swapped) when it, or it with one letter left out, is here.
 */
const NEAR_MISS_INDEX = new Set(
  WORDLIST.flatMap((word) => [word, ...[...word].map((_, i) => word.slice(0, i) + word.slice(i + 1))]),
);
const LIST_WORDS: ReadonlySet<string> = new Set(WORDLIST);
/** The longest list word has 8 letters: a near miss has at most one more. */
const LONGEST_NEAR_MISS = Math.max(...WORDLIST.map((word) => word.length)) + 1;

/**
 * Whether a word off the list looks like a mistyped list word ("wrth" for "worth", "abandn"),
 * worked out the first time it is asked for. (An inflected list word, "acts", never gets here: it
 * ends the run, see isInflectedForm.)
 */
function isNearMiss(word: Word): boolean {
  if (word.near < 0) {
    const lower = word.source.slice(word.at, word.at + word.end - word.start).toLowerCase();
    word.near = word.counts && isNearMissOf(lower) ? 1 : 0;
  }
  return word.near === 1;
}

/**
 * A near miss of four letters or more: two words in front of a run's first list word join it only
 * if both are. Three letters are weak evidence (most three-letter words are one letter from a list
 * word: "com" from "cow"), and nothing in front of them vouches for them ("github.com/node-base").
 */
function isCloseTypo(word: Word): boolean {
  return word.end - word.start >= 4 && isNearMiss(word);
}

function isNearMissOf(lower: string): boolean {
  if (lower.length > LONGEST_NEAR_MISS) return false;
  if (NEAR_MISS_INDEX.has(lower)) return true;
  for (let i = 0; i < lower.length; i++) {
    if (NEAR_MISS_INDEX.has(lower.slice(0, i) + lower.slice(i + 1))) return true;
  }
  return false;
}

const isListWord = (word: string): boolean => word.length >= 3 && LIST_WORDS.has(word);
/** The longest list word with the longest ending ("-ing" after a doubled letter). */
const LONGEST_INFLECTED = Math.max(...WORDLIST.map((word) => word.length)) + 4;

/** A list word with -s, -es, -ed or -ing ("acts", "arrived", "slipped", "carried"). */
function isInflected(lower: string): boolean {
  if (lower.endsWith('s')) {
    // "kisss" is a typo: words ending in s, x, z, ch or sh take -es.
    if (!/(?:[sxz]|[cs]h)s$/.test(lower) && isListWord(lower.slice(0, -1))) return true;
    if (lower.endsWith('es') && isListWord(lower.slice(0, -2))) return true;
    if (lower.endsWith('ies') && isListWord(`${lower.slice(0, -3)}y`)) return true;
  }
  const suffix = lower.endsWith('ed') ? 2 : lower.endsWith('ing') ? 3 : 0;
  if (suffix === 0) return false;
  const stem = lower.slice(0, -suffix);
  return (
    isListWord(stem) ||
    isListWord(`${stem}e`) ||
    (stem.endsWith('i') && isListWord(`${stem.slice(0, -1)}y`)) ||
    (stem.length > 3 && stem.at(-1) === stem.at(-2) && isListWord(stem.slice(0, -1)))
  );
}

/**
 * What may stand between two words of one phrase: whitespace of any amount and at most 12 other
 * characters ("(12)," is 5) with no letter of any script and no number of three or more digits:
 * list separators, quotes, brackets, bullets and arrows ("，" "、" "·" "•" "*" "->" "+"), list
 * numbers ("1." "1)" "(1)" "#1" "1、" "1:", full-width "１）" "１．", circled "①", Chinese "第1个："),
 * zero-width characters. What ends a run: any letter or CJK character, a longer number, number 1
 * (a list starts after it: "seed ->\n#1 abandon …"), a colon or equals sign that is not a list
 * number's ("old wallet: …"), "!" "?", and a full stop, except in a phrase whose every word is
 * followed by one ("abandon. ability. able." or "abandon。ability。", see DOT): prose reaches 12
 * list words in a row once full stops are let through anywhere, but never as 12 one-word sentences.
 *
 * Only the gap is normalised (NFKC, zero-width characters dropped) to be classified; the words
 * either side, and so the redacted span, keep their offsets in the original text.
 */
const MAX_GAP_SYMBOLS = 12;
/** List numbers have one or two digits; a gap has at most two of them ("| 1 |", "7.   12."). */
const MAX_NUMBER_DIGITS = 2;
const MAX_NUMBERS = 2;

/** What each ASCII character is in a gap. */
const SEPARATOR = 0;
const SPACE = 1;
const DIGIT_CHAR = 2;
const ENDS_RUN = 3;
const FULL_STOP = 4;
/** Only in a list number: "(1)" "[1]" "#1". */
const OPEN_BRACKET = 5;
const HASH = 6;
/** Only in an arrow: "->" "=>" ">>". */
const ARROW_HEAD = 7;
const EQUALS = 8;
const GAP_ASCII = new Uint8Array(128).fill(ENDS_RUN);
for (const char of ',;|/-_"\'*+&~') GAP_ASCII[char.charCodeAt(0)] = SEPARATOR;
for (const char of ' \t\n\v\f\r') GAP_ASCII[char.charCodeAt(0)] = SPACE;
for (let code = 0x30; code <= 0x39; code++) GAP_ASCII[code] = DIGIT_CHAR;
GAP_ASCII[0x2e] = FULL_STOP;
GAP_ASCII[0x28] = OPEN_BRACKET;
GAP_ASCII[0x5b] = OPEN_BRACKET;
GAP_ASCII[0x23] = HASH;
GAP_ASCII[0x3e] = ARROW_HEAD;
GAP_ASCII[0x3d] = EQUALS;

const IDEOGRAPHIC_FULL_STOP = 0x3002;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
/** "第3个", "第 3 位": Chinese list numbering, read as the number (NFKC has made its digits ASCII). */
const CHINESE_ORDINAL = /第\s*(\d{1,2})\s*[个位]?/g;
/** After NFKC, a letter or number left in a gap (CJK, Cyrillic, "Ⅻ"…) ends the run. */
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;

/** Gap kinds: words joined as a list, words joined as one-word sentences, not joined. */
const PLAIN = 0;
const DOT = 1;
const BREAK = 2;
type GapKind = typeof PLAIN | typeof DOT | typeof BREAK;

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** The kind of the gap `text.slice(from, to)`: read once, left to right, no pattern matching. */
function classifyGap(text: string, from = 0, to = text.length): GapKind {
  if (to - from === 1) {
    // The common case: one space, one separator, one digit (a list number), or anything else.
    const code = text.charCodeAt(from);
    if (code < 0x80) {
      const kind = GAP_ASCII[code];
      return kind === SEPARATOR || kind === SPACE || kind === DIGIT_CHAR ? PLAIN : BREAK;
    }
  }
  // Counted on the gap as given (as chunkEnd counts it): too many symbols end the run unread.
  let symbols = 0;
  let ascii = true;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) ascii = false;
    if (!isWhitespace(code) && ++symbols > MAX_GAP_SYMBOLS) return BREAK;
  }
  const gap = ascii ? text.slice(from, to) : normalizeGap(text.slice(from, to));
  let stops = 0;
  let numbers = 0;
  let previous = -1;
  for (let i = 0; i < gap.length; i++) {
    const code = gap.charCodeAt(i);
    const kind = code < 0x80 ? GAP_ASCII[code] : nonAsciiKind(gap, i);
    if (kind === SPACE) continue;
    if (kind === ENDS_RUN) return BREAK;
    if (kind === DIGIT_CHAR || kind === OPEN_BRACKET || kind === HASH) {
      // A list number: "1." "1:" "1)" "(1)" "[1]" "#1", one or two digits.
      const digitsFrom = kind === DIGIT_CHAR ? i : i + 1;
      let end = digitsFrom;
      while (end < gap.length && isDigit(gap.charCodeAt(end))) end += 1;
      const digits = end - digitsFrom;
      if (digits === 0 || digits > MAX_NUMBER_DIGITS || ++numbers > MAX_NUMBERS) return BREAK;
      // Number 1 starts a list: the word in front of it ("seed ->\n#1 abandon") is not in it.
      if (gap.charCodeAt(end - 1) === 0x31 && (digits === 1 || gap.charCodeAt(digitsFrom) === 0x30)) {
        return BREAK;
      }
      const after = gap.charCodeAt(end);
      if (kind === OPEN_BRACKET) {
        if (after !== (code === 0x28 ? 0x29 : 0x5d)) return BREAK;
        end += 1;
      } else if (kind === DIGIT_CHAR && (after === 0x2e || after === 0x3a || after === 0x29)) {
        // Not followed by another digit: "1.5" and "1:30" are not list numbers.
        if (isDigit(gap.charCodeAt(end + 1))) return BREAK;
        end += 1;
      }
      previous = gap.charCodeAt(end - 1);
      i = end - 1;
      continue;
    }
    if (kind === ARROW_HEAD && previous !== 0x2d && previous !== 0x3d && previous !== 0x3e) return BREAK;
    if (kind === EQUALS && gap.charCodeAt(i + 1) !== 0x3e) return BREAK;
    if (kind === FULL_STOP) {
      // Ideographic anywhere, "." before white space; "abandon.ability" is a name.
      if (code !== IDEOGRAPHIC_FULL_STOP && !isWhitespace(gap.charCodeAt(i + 1))) return BREAK;
      stops += 1;
    }
    previous = code;
  }
  return stops === 0 ? PLAIN : stops === 1 ? DOT : BREAK;
}

function normalizeGap(gap: string): string {
  return gap.normalize('NFKC').replace(CHINESE_ORDINAL, '$1').replace(ZERO_WIDTH, '');
}

/** What a character past ASCII is in a (normalised) gap. */
function nonAsciiKind(gap: string, i: number): number {
  const code = gap.charCodeAt(i);
  if (code === IDEOGRAPHIC_FULL_STOP) return FULL_STOP;
  if (isWhitespace(code)) return SPACE;
  // A surrogate pair (an emoji) is a symbol; a letter or number of any script ends the run.
  if (code >= 0xd800 && code <= 0xdfff) return SEPARATOR;
  return LETTER_OR_NUMBER.test(gap[i]) ? ENDS_RUN : SEPARATOR;
}

/** The part of a gap that decides its kind: whitespace runs as one space, at most a few symbols. */
function compressGap(gap: string): string {
  const compressed = gap.replace(/\s+/g, ' ');
  return compressed.length > 2 * MAX_GAP_SYMBOLS + 2 ? '\u0000'.repeat(MAX_GAP_SYMBOLS + 1) : compressed;
}

/**
 * A list number directly in front of the first word ("1. ", "(1) ", "#1 ", "１）", "①", "第1个：")
 * belongs to the phrase.
 */
const LEADING_NUMBER =
  /(?<![\p{L}\p{N}])(?:#[0-9０-９]{1,2}|[([（［][0-9０-９]{1,2}[)\]）］]|[0-9０-９]{1,2}[.):：、）．]?|第[0-9０-９]{1,2}[个位]?[:：]?|[\u2460-\u249b])[ \t]*$/u;
/** Characters a list number can end with; a word after anything else has none. */
const NUMBER_END = new Uint8Array(0x10000);
for (const char of '0123456789.):：、]）．］个位０１２３４５６７８９') NUMBER_END[char.charCodeAt(0)] = 1;
for (let code = 0x2460; code <= 0x249b; code++) NUMBER_END[code] = 1;

/**
 * How far in front of a phrase's first word its list number may start ("第10个：" and spaces): the
 * text that far before where the scan is may still be redacted.
 */
export const LIST_NUMBER_REACH = 16;

/** Where a phrase starting with the word at `start` starts, its list number included. */
function numberedStart(text: string, start: number): number {
  let i = start;
  while (i > start - 8 && i > 0) {
    const code = text.charCodeAt(i - 1);
    if (code !== 0x20 && code !== 0x09) break;
    i -= 1;
  }
  if (i === 0 || NUMBER_END[text.charCodeAt(i - 1)] === 0) return start;
  const before = text.slice(Math.max(0, start - LIST_NUMBER_REACH), start);
  const numbering = before.search(LEADING_NUMBER);
  return numbering >= 0 ? start - before.length + numbering : start;
}

/** A word as the scanner saw it, in absolute offsets. */
interface Word {
  start: number;
  end: number;
  /** The start including a list number in front of it (see numbered()). */
  numberedStart: number;
  flags: number;
  /** For a word that is not on the list: whether it counts towards the 12 when tolerated. */
  counts: boolean;
  /** The text it was read from, and where in it: to look at its letters again later. */
  source: string;
  at: number;
  /** LOWER, TITLE, UPPER or MIXED; -1 until asked for (see styleOf). */
  style: number;
  /** 1 for a near miss of a list word, 0 if not, -1 until asked for (see isNearMiss). */
  near: number;
}

/** How a word is written, worked out the first time it is asked for. */
function styleOf(word: Word): number {
  if (word.style < 0) word.style = caseStyle(word.source, word.at, word.at + word.end - word.start);
  return word.style;
}

/** Copies a word into a buffer a run keeps (the scanner's own two are reused word after word). */
function keep(word: Word, into: Word): Word {
  into.start = word.start;
  into.end = word.end;
  into.numberedStart = word.numberedStart;
  into.flags = word.flags;
  into.counts = word.counts;
  into.source = word.source;
  into.at = word.at;
  into.style = word.style;
  into.near = word.near;
  return into;
}

/**
 * How a word is written. A seed phrase is written one way throughout (its first word may be
 * capitalised, and a word next to it, "Thanks", may be written otherwise); prose capitalises
 * names and sentences and has words like "TypeScript".
 */
const LOWER = 0;
const TITLE = 1;
const UPPER = 2;
const MIXED = 3;

function caseStyle(text: string, start: number, end: number): number {
  let upper = 0;
  for (let i = start + 1; i < end; i++) if (text.charCodeAt(i) < 0x61) upper += 1;
  if (text.charCodeAt(start) >= 0x61) return upper === 0 ? LOWER : MIXED;
  if (upper === 0) return TITLE;
  return upper === end - start - 1 ? UPPER : MIXED;
}

/** How many words are written each way (LOWER, TITLE, UPPER, MIXED). */
class StyleCounts {
  lower = 0;
  title = 0;
  upper = 0;
  mixed = 0;

  add(style: number): void {
    if (style === LOWER) this.lower += 1;
    else if (style === TITLE) this.title += 1;
    else if (style === UPPER) this.upper += 1;
    else this.mixed += 1;
  }

  addAll(other: StyleCounts): void {
    this.lower += other.lower;
    this.title += other.title;
    this.upper += other.upper;
    this.mixed += other.mixed;
  }

  clear(): void {
    this.lower = 0;
    this.title = 0;
    this.upper = 0;
    this.mixed = 0;
  }

  /** Two or more words written otherwise than the others, or one written "TypeBox". */
  looksLikeProse(): boolean {
    const { lower, title, upper } = this;
    return this.mixed > 0 || lower + title + upper - Math.max(lower, title, upper) >= 2;
  }
}

function emptyWord(): Word {
  return {
    start: 0,
    end: 0,
    numberedStart: -1,
    flags: 0,
    counts: false,
    source: '',
    at: 0,
    style: -1,
    near: -1,
  };
}

/** A word's start, its list number included; worked out the first time it is asked for. */
function numbered(word: Word): number {
  if (word.numberedStart < 0) word.numberedStart = word.start - word.at + numberedStart(word.source, word.at);
  return word.numberedStart;
}

/** How many words either side of a tolerated word are looked at to judge it. */
const JUDGED_WORDS = 5;

/**
 * List words in a row, without a tolerated word between them: where they are, how many, and how
 * its first and last few words are written (the words next to a tolerated word on either side).
 */
class Segment {
  start = 0;
  end = 0;
  words = 0;
  /**
   * Where the list words and near misses in a row that this segment ends start: how far back a
   * phrase found after a restart reaches (see RunTracker.restart).
   */
  stretchStart = 0;
  /** Common words in all of it, and whether any word is written "TypeBox". */
  common = 0;
  mixed = false;
  /** The first JUDGED_WORDS words: how they are written, and how many are common words. */
  readonly headStyles = new StyleCounts();
  headCommon = 0;
  /** The last JUDGED_WORDS words, as a ring: style and common flag of each. */
  private readonly tailStyles = new Int8Array(JUDGED_WORDS);
  private readonly tailCommon = new Int8Array(JUDGED_WORDS);

  reset(word: Word, stretchStart: number): void {
    this.start = numbered(word);
    this.end = word.end;
    this.stretchStart = Math.min(stretchStart, this.start);
    this.words = 0;
    this.common = 0;
    this.mixed = false;
    this.headStyles.clear();
    this.headCommon = 0;
  }

  add(word: Word): void {
    const common = word.flags & IS_COMMON ? 1 : 0;
    const style = styleOf(word);
    if (this.words < JUDGED_WORDS) {
      this.headStyles.add(style);
      this.headCommon += common;
    }
    this.tailStyles[this.words % JUDGED_WORDS] = style;
    this.tailCommon[this.words % JUDGED_WORDS] = common;
    this.common += common;
    this.mixed ||= style === MIXED;
    this.words += 1;
    this.end = word.end;
  }

  /**
   * Adds how the last JUDGED_WORDS words are written to `into` (less the segment's first word, if
   * `skipFirst`); returns how many of them are common words.
   */
  addTail(into: StyleCounts, skipFirst: boolean): number {
    let common = 0;
    for (let k = Math.max(0, this.words - JUDGED_WORDS); k < this.words; k++) {
      if (skipFirst && k === 0) continue;
      into.add(this.tailStyles[k % JUDGED_WORDS]);
      common += this.tailCommon[k % JUDGED_WORDS];
    }
    return common;
  }
}

/**
 * Words off the list side by side: one word (a typo, a stray "and"), or two near misses of list
 * words (two typos in a row). They join two segments, or lead or trail a run.
 */
class Group {
  private readonly buffers: [Word, Word] = [emptyWord(), emptyWord()];
  size = 0;

  get first(): Word {
    return this.buffers[0];
  }

  get last(): Word {
    return this.buffers[this.size - 1];
  }

  word(k: number): Word {
    return this.buffers[k];
  }

  push(word: Word): void {
    keep(word, this.buffers[this.size++]);
  }

  /** Keeps only the last word. */
  dropFirst(): void {
    if (this.size < 2) return;
    [this.buffers[0], this.buffers[1]] = [this.buffers[1], this.buffers[0]];
    this.size = 1;
  }

  clear(): void {
    this.size = 0;
  }

  /** How many of its words count towards the 12. */
  get counted(): number {
    let counted = 0;
    for (let k = 0; k < this.size; k++) if (this.buffers[k].counts) counted += 1;
    return counted;
  }

  /** Whether every word is a near miss of a list word. */
  get allNear(): boolean {
    for (let k = 0; k < this.size; k++) if (!isNearMiss(this.buffers[k])) return false;
    return this.size > 0;
  }

  /** Whether every word is a near miss of four letters or more (see isCloseTypo). */
  get allCloseTypos(): boolean {
    for (let k = 0; k < this.size; k++) if (!isCloseTypo(this.buffers[k])) return false;
    return this.size > 0;
  }
}

/** Scratch space for judging a tolerated word. */
const styles = new StyleCounts();

/**
 * Whether the list words either side of tolerated words read like a seed phrase rather than
 * prose: the five next to them on each side written one way (a run's first word may be
 * capitalised: `skipFirst` leaves it out of `before`), with at most two common words among them;
 * no more than one in six of the two segments' words common, and none written like "TypeBox".
 */
function readsLikePhrase(
  before: Segment | undefined,
  tolerated: Group,
  after: Segment | undefined,
  skipFirst: boolean,
): boolean {
  styles.clear();
  let common = 0;
  if (before) common += before.addTail(styles, skipFirst);
  if (after) {
    styles.addAll(after.headStyles);
    common += after.headCommon;
  }
  for (let k = 0; k < tolerated.size; k++) styles.add(styleOf(tolerated.word(k)));
  if (common > 2 || styles.looksLikeProse() || before?.mixed || after?.mixed) return false;
  const words = (before?.words ?? 0) + (after?.words ?? 0) + tolerated.counted;
  return ((before?.common ?? 0) + (after?.common ?? 0)) * 6 <= words;
}

/** At most two words off the list in any twelve words of a phrase (two typos in a 12-word phrase). */
const WINDOW_WORDS = MIN_MNEMONIC_WORDS;

/**
 * One way of joining words (PLAIN or DOT) and the run it has open. A run is segments of list
 * words joined by tolerated words (words off the list) by gaps of its kind, no twelve words in a
 * row holding more than two of them: a near miss of a list word (a typo) anywhere, even next to
 * another near miss; any other word ("and", a stray word) with at least five list words since the
 * last such word. A tolerated word joins the segments either side of it only if they read like a
 * phrase (readsLikePhrase): prose joins its list words with "the", "and", and is full of "you",
 * "can", "that"; a typo in a phrase sits among random words written one way. A chain of segments
 * so joined is a phrase when its list words and counted tolerated words reach 12, and all of it is
 * redacted, tolerated words included. It starts and ends with a list word, or with one or two near
 * misses of one (typos in the first or last words of a phrase), never with another word ("…flag
 * Regards").
 *
 * A word off the list that breaks these rules ends the run, and a new one starts with the list
 * words since the last word off the list, so a phrase right after a near miss is still found; if
 * it is a phrase, it reaches back over the list words and near misses in a row before it (a
 * 24-word phrase with three typos close together is redacted whole, not from the third typo on).
 */
class RunTracker {
  private open = false;
  /** The segment being read, and the one before it (two buffers, swapped). */
  private current = new Segment();
  private previous = new Segment();
  /** Whether `current` (`previous`) is the first segment of the run. */
  private currentIsFirst = true;
  private previousIsFirst = false;
  /** The tolerated words between `previous` and `current`, judged once `current` is complete. */
  private join = new Group();
  /** Tolerated words after `current`, waiting for the list word that keeps them in the run. */
  private pending = new Group();
  /**
   * Counted words off the list just before the run (while none is open: the last ones seen), which
   * start it if they are near misses that read like part of it.
   */
  private leading = new Group();
  /** Whether `leading` reads like part of the phrase (judged with the run's first segment). */
  private leadingFits = false;
  /** The chain of joined segments that ends with `previous` (or `current`), not counting `current` yet. */
  private chainStart = 0;
  private chainEnd = 0;
  private chainWords = 0;
  private chainStartsRun = true;
  /** How far back a phrase of this chain reaches (before chainStart after a restart). */
  private chainBackStart = 0;
  /** Where the list words and near misses in a row, up to the current word, start. */
  private stretchStart = 0;
  /** Words read in the run, and the places in it of the last two words off the list (-1: none). */
  private position = 0;
  private lastOff = -1;
  /** The place of the last word off the list that is no near miss (-1: none). */
  private lastTolerated = -1;
  private secondLastOff = -1;

  constructor(
    readonly kind: GapKind,
    private readonly found: Span[],
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Where a phrase can start at the earliest: in the open run, or with the words off the list that
   * may lead the next one (Infinity when there are none).
   */
  get start(): number {
    const leading = this.leading.size > 0 ? numbered(this.leading.first) : Infinity;
    if (!this.open) return leading;
    const start = Math.min(this.chainStart, this.chainBackStart, this.current.stretchStart);
    return this.chainStartsRun ? Math.min(leading, start) : start;
  }

  /** The next word, joined to the previous one by a gap of `gap` kind. */
  add(word: Word, gap: GapKind): void {
    if (gap !== this.kind) {
      this.close();
      this.leading.clear();
    }
    if (word.flags & IS_LIST) {
      if (!this.open) this.begin(word);
      else this.extend(word);
    } else if (this.open) {
      this.tolerate(word);
    } else if (word.counts) {
      // Perhaps the start of the next run: the last two counted words off the list are kept.
      if (this.leading.size === 2) this.leading.dropFirst();
      this.leading.push(word);
    } else {
      this.leading.clear();
    }
  }

  /** Nothing joins what came before any more: the run (if any) ends, and no word leads the next. */
  end(): void {
    this.close();
    this.leading.clear();
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    this.completeSegment();
    const trailing = this.pending;
    const leadingBonus = this.chainStartsRun && this.leadingFits ? this.leading.size : 0;
    const acceptTrailing =
      trailing.size > 0 &&
      this.chainWords + trailing.counted + leadingBonus >= MIN_MNEMONIC_WORDS &&
      readsLikePhrase(this.current, trailing, undefined, this.currentIsFirst) &&
      trailing.allNear;
    this.endChain(acceptTrailing ? trailing : undefined);
    this.pending.clear();
    this.join.clear();
    this.leading.clear();
  }

  private begin(word: Word): void {
    this.open = true;
    this.leadingFits = false;
    this.join.clear();
    this.pending.clear();
    this.position = 0;
    this.lastOff = -1;
    this.secondLastOff = -1;
    this.lastTolerated = -1;
    this.stretchStart = numbered(word);
    this.current.reset(word, this.stretchStart);
    this.currentIsFirst = true;
    this.startChain(this.current, true, false);
    this.current.add(word);
  }

  private extend(word: Word): void {
    this.position += 1;
    if (this.pending.size > 0) {
      // The tolerated words have a list word after them: `current` is complete, a new segment starts.
      this.completeSegment();
      // Words that are not near misses end the list words and near misses in a row.
      if (!this.pending.allNear) this.stretchStart = numbered(word);
      [this.join, this.pending] = [this.pending, this.join];
      this.pending.clear();
      [this.previous, this.current] = [this.current, this.previous];
      this.previousIsFirst = this.currentIsFirst;
      this.currentIsFirst = false;
      this.current.reset(word, this.stretchStart);
    }
    this.current.add(word);
  }

  private tolerate(word: Word): void {
    this.position += 1;
    const at = this.position;
    // No twelve words in a row with more than two words off the list.
    const dense = this.secondLastOff >= 0 && at - this.secondLastOff < WINDOW_WORDS;
    if (this.pending.size > 0) {
      // Two words off the list in a row end the run, unless they are two near misses.
      if (this.pending.size === 1 && !dense && isNearMiss(word) && this.pending.allNear) {
        this.offList(word, at);
        return;
      }
      this.close();
      this.leading.push(word);
      return;
    }
    // A word that is no near miss needs five list words since the last such word.
    const spaced =
      this.lastTolerated < 0 || at - this.lastTolerated > WORDS_BETWEEN_TOLERATED || isNearMiss(word);
    if (!dense && spaced) {
      this.offList(word, at);
      return;
    }
    // Too soon after the last words off the list: this run ends, and a new one starts with the list
    // words since then (a phrase found in it reaches back over the list words and near misses in a
    // row before it, see startChain).
    this.close();
    this.open = true;
    this.currentIsFirst = true;
    this.leadingFits = false;
    this.startChain(this.current, false, true);
    this.secondLastOff = -1;
    this.lastOff = -1;
    this.lastTolerated = -1;
    this.offList(word, at);
  }

  /** `word`, the word at `at`, waits off the list for the list word that keeps it in the run. */
  private offList(word: Word, at: number): void {
    this.pending.push(word);
    this.secondLastOff = this.lastOff;
    this.lastOff = at;
    if (!isNearMiss(word)) this.lastTolerated = at;
  }

  /**
   * A chain starting with segment `first`. One that starts after a restart reaches back over the
   * list words and near misses in a row before it (`reachBack`).
   */
  private startChain(first: Segment, startsRun: boolean, reachBack: boolean): void {
    this.chainStart = first.start;
    this.chainBackStart = reachBack ? first.stretchStart : first.start;
    this.chainEnd = first.end;
    this.chainWords = 0;
    this.chainStartsRun = startsRun;
  }

  /** `current` is complete: it joins the chain, or, if its join reads like prose, starts a new one. */
  private completeSegment(): void {
    const segment = this.current;
    if (this.join.size === 0) {
      this.chainWords += segment.words;
      this.chainEnd = segment.end;
      if (this.chainStartsRun && this.leading.size > 0) {
        // Two words lead the run only if both are near misses; else the last one may.
        if (this.leading.size === 2 && !this.leading.allCloseTypos) this.leading.dropFirst();
        this.leadingFits = readsLikePhrase(undefined, this.leading, segment, false);
      }
    } else if (readsLikePhrase(this.previous, this.join, segment, this.previousIsFirst)) {
      this.chainWords += this.join.counted + segment.words;
      this.chainEnd = segment.end;
    } else {
      this.endChain(undefined);
      // Prose: a phrase after it does not reach back over it.
      segment.stretchStart = segment.start;
      this.stretchStart = Math.max(this.stretchStart, segment.start);
      this.startChain(segment, false, false);
      this.chainWords = segment.words;
    }
    this.join.clear();
  }

  private endChain(trailing: Group | undefined): void {
    let words = this.chainWords;
    let start = Math.min(this.chainStart, this.chainBackStart);
    let end = this.chainEnd;
    if (trailing) {
      words += trailing.counted;
      end = trailing.last.end;
    }
    // Whether the words before are near misses is asked only of a run that is (nearly) a phrase:
    // the last of them, or both, join it.
    const leading = this.leading;
    if (
      this.chainStartsRun &&
      leading.size > 0 &&
      this.leadingFits &&
      words + leading.size >= MIN_MNEMONIC_WORDS
    ) {
      if (isNearMiss(leading.last)) {
        const both = leading.size === 2 && isCloseTypo(leading.first) && isCloseTypo(leading.last);
        words += both ? 2 : 1;
        start = Math.min(start, numbered(both ? leading.first : leading.last));
      }
    }
    if (words >= MIN_MNEMONIC_WORDS) this.found.push({ start, end, kind: 'mnemonic' });
  }
}

/**
 * Takes the words of a text in order (the scanner calls `word` for each maximal run of ASCII
 * letters) and reports the phrases among them. The gap text between two words is handed over as
 * it is seen, so a gap may span any number of lines or chunks.
 */
export class MnemonicDetector {
  readonly found: Span[] = [];
  private readonly plain = new RunTracker(PLAIN, this.found);
  private readonly dot = new RunTracker(DOT, this.found);
  private previous: Word | undefined;
  private readonly buffers: [Word, Word] = [emptyWord(), emptyWord()];
  private nextBuffer = 0;
  /** The gap seen so far after the previous word, in chunks already scanned (compressed). */
  private gapHead = '';

  /**
   * The word `text.slice(start, end)` (offsets in `text`; `base` turns them absolute). `gapFrom` is
   * where the gap in front of it starts within `text`: the previous word's end, or the scan's start
   * when that word was in an earlier chunk.
   */
  word(text: string, start: number, end: number, base: number, gapFrom: number): void {
    const length = end - start;
    const flags = flagsOf(text, start, length);
    if (isInflectedForm(text, start, length, flags)) {
      // Prose: nothing joins across it, and the text after it need not be held back for it.
      this.gapHead = '';
      this.plain.end();
      this.dot.end();
      this.previous = undefined;
      return;
    }
    const counts = !(flags & IS_LIST) && length >= 3 && !isFunctionWord(text, start, length);
    const { plain, dot } = this;
    // The gap in front matters only to a run it may extend, or to a word that may start one.
    const joinable = this.previous !== undefined && (plain.isOpen || dot.isOpen || this.previous.counts);
    let gap: GapKind = BREAK;
    if (joinable) {
      gap =
        this.gapHead === '' && start - gapFrom === 1 && text.charCodeAt(gapFrom) === 0x20
          ? PLAIN
          : this.gapHead === ''
            ? classifyGap(text, gapFrom, start)
            : classifyGap(this.gapHead + text.slice(gapFrom, start));
    }
    this.gapHead = '';
    if (!(flags & IS_LIST) && !counts && !plain.isOpen && !dot.isOpen) {
      // Neither on the list nor counted, and no run to tolerate it in: nothing follows from it.
      this.previous = undefined;
      return;
    }
    // Two words are alive at a time (this one and the previous): a run that keeps one copies it.
    const word = this.buffers[this.nextBuffer];
    this.nextBuffer ^= 1;
    word.start = base + start;
    word.end = base + end;
    word.numberedStart = -1;
    word.flags = flags;
    word.counts = counts;
    word.source = text;
    word.at = start;
    word.style = -1;
    word.near = -1;
    plain.add(word, gap);
    if (gap === DOT || dot.isOpen) {
      // A run of one-word sentences starts at the first full stop: most text has none, and the word
      // before it (a run of one word, or a near miss in front of one) is given to it then.
      if (!dot.isOpen && gap === DOT && this.previous) dot.add(this.previous, BREAK);
      dot.add(word, gap);
    }
    this.previous = word;
  }

  /** The scan of a chunk ended at `end` (in `text`); the gap after the last word may go on. */
  chunkEnd(text: string, gapFrom: number, end: number): void {
    if (!this.previous) return;
    this.gapHead = compressGap(this.gapHead + text.slice(gapFrom, end));
    if (this.gapHead.replace(/ /g, '').length > MAX_GAP_SYMBOLS) {
      // Too much between words already: whatever comes next, the runs end here (and the text
      // after them need not be held back).
      this.plain.end();
      this.dot.end();
      this.previous = undefined;
      this.gapHead = '';
    }
  }

  finish(): void {
    this.plain.end();
    this.dot.end();
    this.previous = undefined;
    this.gapHead = '';
  }

  /** No phrase found later can start before this offset. */
  get holdFrom(): number {
    const previous = this.previous ? numbered(this.previous) : Infinity;
    return Math.min(previous, this.plain.start, this.dot.start);
  }
}
