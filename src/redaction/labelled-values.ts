import type { SecretKind, Span } from './secret-span';
import { CHAR_CLASS, FIELD_BREAK_CODE, HEX, isWhitespace } from './text-chars';

/**
 * Secrets that are only secrets because of what the customer calls them (SPEC §9): exchange API
 * secrets and passphrases, passwords, one-time codes, labelled private keys. Labels are looked for
 * only where one can begin (a word starting with "pass", "secr", "2fa", …, or a Chinese label), so
 * the cost is one table read per word; a value ends at white space, so all of this stays on a line.
 */

type Accept = (text: string, start: number, end: number) => boolean;

interface LabelRule {
  kind: SecretKind;
  /** Matches a label at the position it is tried at (sticky). */
  label: RegExp;
  /**
   * Value `text.slice(start, end)` after an explicit separator: `label: value`, `label=value`,
   * `标签：value`, `标签是value`.
   */
  explicit: Accept;
  /** Value after whitespace or "is": `label value`, `label is value`; stricter, this is where prose lives. */
  implicit?: Accept;
  /** A key written in groups ("e8f3 2e72 …", two lines of 32) is one value too. */
  groupedHex?: boolean;
}

/** A value runs to whitespace, or to CJK text / full-width punctuation ("密码是abc123，谢谢"); 256 characters at most. */
function endsValue(code: number): boolean {
  return (
    isWhitespace(code) ||
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}
const MAX_VALUE = 256;
/**
 * After a colon or equals sign, a value may run over spaces ("password: my dog rex 2019",
 * "passphrase: correct horse battery staple"): at most this long and this many words, with no
 * punctuation that ends a sentence or starts another label inside it. Which words it takes is
 * decided by FUNCTION_WORDS (see lineValueEnd).
 */
const MAX_LINE_VALUE = 100;
const MAX_LINE_WORDS = 8;
/** How much of a line is read to tell a passphrase from a sentence (within the scanner's look-ahead). */
const MAX_LINE_READ = 256;

/**
 * Words that make a line prose, not a passphrase: pronouns, articles, auxiliaries, conjunctions,
 * prepositions and a few words customers write around a password ("every time I type it").
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my mine it its the a an is was are were be been am do does did done not no nor and or but ' +
    'to of in on at for with from by as if so then than that this these those there here when what ' +
    'why how where which who every each time type typed any all still again just also even only too ' +
    "you your we our he she they them his her can can't cannot cant could couldn't won't will would " +
    "should don't dont doesn't didn't isn't wasn't have has had haven't please thanks thank after before"
  ).split(' '),
);
/** Chinese function characters: a word with one of them is prose ("还是登录不了"). */
const CJK_FUNCTION = /[我你他她它的了是不还在也都就吗呢吧和但]/;

/** Whether a word (its surrounding quotes and punctuation aside) is a function word. */
function isFunctionWord(word: string): boolean {
  const core = word
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/^[("'“[<]+|[)"'”\]>.,;:!?…]+$/g, '');
  return FUNCTION_WORDS.has(core) || CJK_FUNCTION.test(core);
}

/** Quotes a value may stand in ("abc 123 xyz"), by the code of the opening one. */
const CLOSING_QUOTE = new Map(
  ['""', "''", '``', '“”', '‘’', '«»', '「」', '『』'].map(([open, close]) => [
    open.charCodeAt(0),
    close.charCodeAt(0),
  ]),
);

/** Punctuation that ends a value read to the end of its line: it is prose, or holds another label. */
function endsLineValue(code: number): boolean {
  return (
    code === 0x2c || // ,
    code === 0x3b || // ;
    code === 0x3a || // :
    code === 0x3d || // =
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}

/** lineValueEnd's answer for a line that reads as a sentence: no value at all. */
const PROSE = -2;

/** The end of a line (or of the subject: see FIELD_BREAK), from `from`, reading MAX_LINE_READ at most. */
function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && i - from < MAX_LINE_READ) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x0d || code === FIELD_BREAK_CODE) break;
    i += 1;
  }
  return i;
}

/**
 * Where a value after a colon or equals sign, from `start`, ends on its line; -1 if it is one
 * token only (the caller takes the token), PROSE if the line reads as a sentence.
 *
 * The rule (README "Secrets"): the words of the line are read; function words (FUNCTION_WORDS)
 * are what prose is made of, a passphrase has few of them.
 * - If the first word is a function word and the line has two or more of them, it is a sentence
 *   ("Password: I forgot it", "password: it is wrong every time"): nothing is redacted.
 * - Otherwise the value is the first word and the words after it up to the next function word:
 *   "password: my dog rex 2019" (one function word: a passphrase) is redacted whole,
 *   "password: Hunter2 and it still fails" is Hunter2, "Password: wrong every time I type it" is
 *   "wrong" (a one-word value is always taken: it may be the password).
 * - What it takes stays within MAX_LINE_VALUE characters and MAX_LINE_WORDS words, with no
 *   punctuation that ends a sentence or starts another label before its end (",", ":", "=", CJK,
 *   ". ", "!" or "?" before more words); else it is the first token only. Its trailing full stop
 *   is left out.
 */
function lineValueEnd(text: string, start: number): number {
  const stop = lineEnd(text, start);
  let functionWords = 0;
  let firstIsFunction = false;
  let cut = -1;
  for (let i = start, index = 0; i < stop; index++) {
    while (i < stop && isWhitespace(text.charCodeAt(i))) i += 1;
    if (i >= stop) break;
    const wordStart = i;
    while (i < stop && !isWhitespace(text.charCodeAt(i))) i += 1;
    const fn = isFunctionWord(text.slice(wordStart, i));
    if (fn) functionWords += 1;
    if (index === 0) firstIsFunction = fn;
    else if (fn && cut < 0) cut = previousWordEnd(text, wordStart);
  }
  if (firstIsFunction && functionWords >= 2) return PROSE;
  return valueEndBefore(text, start, cut < 0 ? stop : cut);
}

/** The end of the word before the white space that ends at `at`. */
function previousWordEnd(text: string, at: number): number {
  let i = at;
  while (i > 0 && isWhitespace(text.charCodeAt(i - 1))) i -= 1;
  return i;
}

/**
 * Where a value that runs from `start` up to `stop` ends (its trailing white space and full stop
 * left out), or -1 if it does not read as one value (see lineValueEnd).
 */
function valueEndBefore(text: string, start: number, stop: number): number {
  let end = start;
  let words = 0;
  let inWord = false;
  for (let i = start; i < stop; i++) {
    if (i - start > MAX_LINE_VALUE) return -1;
    const code = text.charCodeAt(i);
    if (endsLineValue(code)) return -1;
    // A full stop ends the line's sentence, not its value; "!" and "?" may end a password. Before
    // more text, each ends a sentence: the value is its first word only.
    if (code === 0x2e || code === 0x21 || code === 0x3f) {
      const last = isBlankUntil(text, i + 1, stop);
      if (last && code === 0x2e) break;
      if (!last && (code !== 0x2e || isWhitespace(text.charCodeAt(i + 1)))) return -1;
    }
    const space = isWhitespace(code);
    if (!space && !inWord && ++words > MAX_LINE_WORDS) return -1;
    inWord = !space;
    if (!space) end = i + 1;
  }
  return end;
}

/** Whether only white space stands between `from` and `to`. */
function isBlankUntil(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether the separator from `from` to `to` has a colon or an equals sign. */
function hasColonOrEquals(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a || code === 0x3d || code === 0xff1a) return true;
  }
  return false;
}

/**
 * A label that ends its line ("Password:\n  hunter2"): where the next line's text starts; else
 * `at`. The end of a subject (FIELD_BREAK before the line break) is no line end a value follows.
 */
function nextLineStart(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === 0x0d) i += 1;
  if (text.charCodeAt(i) !== 0x0a) return at;
  i += 1;
  for (let spaces = 0; spaces < 16 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09); spaces++)
    i += 1;
  return i;
}
/** Spaces are bounded (16) so that what a label reaches stays within the scanner's look-ahead. */
const SEPARATOR = /[ \t]{0,16}(?:(?:is|was)(?![A-Za-z])[ \t]{0,16})?([:=：]|是|为)?[ \t]{0,16}/iy;
/** Between an OTP label and its code: "2FA (Google Authenticator) code is: 123456". */
const OTP_FILLER =
  /(?:[ \t]{0,16}(?:[()（）]|codes?(?![a-z])|is(?![a-z])|was(?![a-z])|[:=：#]|是|为|[-–—]|\r?\n)){0,5}[ \t]{0,16}/iy;
/**
 * Four to eight digits, or "123 456", standing alone: not part of a date, a longer number or a
 * word. Full-width digits too ("１２３４５６", as Chinese input methods type them).
 */
const OTP_CODE = /(?:[0-9０-９]{4,8}|[0-9０-９]{3}[ -][0-9０-９]{3})(?![0-9０-９A-Za-z]|[-/.:][0-9０-９])/y;
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Whether the separator from `from` to `to` has a colon, an equals sign, 是 or 为 (not just space
 * or "is"); after a one-time code's label, "#" too.
 */
function isExplicit(text: string, from: number, to: number, hash = false): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a || code === 0x3d || code === 0xff1a || code === 0x662f || code === 0x4e3a) return true;
    if (hash && code === 0x23) return true;
  }
  return false;
}

function looksLikeSecret(text: string, start: number, end: number): boolean {
  const core = text.slice(start, end).replace(/^[("'“‘[<]+|[)"'”’\]>.,;:!?]+$/g, '');
  if (core.length < 6) return false;
  return /\d/.test(core) || /[^A-Za-z0-9'-]/.test(core) || (/[a-z]/.test(core) && /.[A-Z]/.test(core));
}

const any = (): boolean => true;
const atLeast16 = (_text: string, start: number, end: number): boolean => end - start >= 16;
const BASE58 = '1-9A-HJ-NP-Za-km-z';
const KEY_MATERIAL = new RegExp(
  `^(?:(?:0[xX])?[0-9a-fA-F]{64}|[${BASE58}]{43,100}|[A-Za-z0-9+/]{40,}={0,2})[.,;]?$`,
);

/** 40 or more characters of a key's alphabet (hex, Base58 or Base64), with at most 3 others at its end. */
function isKeyMaterial(text: string, start: number, end: number): boolean {
  if (end - start < 40) return false;
  let i = start;
  while (i < end && (CHAR_CLASS[text.charCodeAt(i)] !== 0 || text[i] === '+' || text[i] === '/')) i += 1;
  return end - i <= 3 && KEY_MATERIAL.test(text.slice(start, end));
}

const LABEL_RULES: readonly LabelRule[] = [
  {
    kind: 'api_secret',
    label:
      /(?<![A-Za-z])(?:api[ _-]?secret(?:[ _-]?key)?|api[ _-]?key[ _-]?secret|secret[ _-]?key)(?![A-Za-z])|api[ _-]?密钥|密钥/iy,
    explicit: atLeast16,
    implicit: (text, start, end) => end - start >= 16 && /\d/.test(text.slice(start, end)),
  },
  { kind: 'api_secret', label: /(?<![A-Za-z])secret(?![A-Za-z])/iy, explicit: atLeast16 },
  {
    kind: 'api_secret',
    label: /(?<![A-Za-z])pass[ _-]?phrase(?![A-Za-z])/iy,
    explicit: any,
    implicit: looksLikeSecret,
  },
  {
    kind: 'password',
    label: /(?<![A-Za-z])(?:password|passwd)(?![A-Za-z])|密码/iy,
    explicit: any,
    implicit: looksLikeSecret,
  },
  // "pass" and "pwd" are ordinary words or fragments in prose ("did not pass Level-2 KYC").
  { kind: 'password', label: /(?<![A-Za-z])(?:pass|pwd)(?![A-Za-z])/iy, explicit: any },
  {
    kind: 'private_key',
    label: /(?<![A-Za-z])(?:private[ _-]?key|priv[ _-]?key|privkey|priv)(?![A-Za-z])|私钥/iy,
    explicit: isKeyMaterial,
    implicit: isKeyMaterial,
    groupedHex: true,
  },
];

/** A 32-byte key in hex: 64 digits. */
const KEY_HEX_DIGITS = 64;
/** Groups of at least 4 digits ("e8f3 2e72 …"); the key and what separates its groups, 300 characters at most. */
const MIN_HEX_GROUP = 4;
const MAX_GROUPED_KEY = 300;

/**
 * Where a 64-hex key written in groups from `start` ends ("e8f3 2e72 … 6b35", "e8f3-2e72-…", or two
 * lines of 32), or -1: groups of at least 4 hex digits, 0x allowed in front, separated by one
 * space, tab or hyphen or by a line break (and the next line's indentation), 64 digits in all and
 * nothing alphanumeric right after them.
 */
function groupedHexEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x30 && (text.charCodeAt(i + 1) | 32) === 0x78) i += 2;
  let digits = 0;
  let groups = 0;
  for (;;) {
    const groupStart = i;
    while (i < text.length && CHAR_CLASS[text.charCodeAt(i)] & HEX && i - start <= MAX_GROUPED_KEY) i += 1;
    const length = i - groupStart;
    digits += length;
    groups += 1;
    if (length < MIN_HEX_GROUP || digits > KEY_HEX_DIGITS || i - start > MAX_GROUPED_KEY) return -1;
    if (digits === KEY_HEX_DIGITS) {
      const ends = i === text.length || CHAR_CLASS[text.charCodeAt(i)] === 0;
      return groups > 1 && ends && !continuesWithGroup(text, i) ? i : -1;
    }
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x2d) {
      i += 1;
    } else {
      const next = nextLineStart(text, i);
      if (next === i) return -1;
      i = next;
    }
  }
}

/** Whether another group of hex digits follows at `at` (" abcd"): then the digits are no 64-hex key. */
function continuesWithGroup(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code !== 0x20 && code !== 0x09 && code !== 0x2d) return false;
  let i = at + 1;
  while (i < text.length && CHAR_CLASS[text.charCodeAt(i)] & HEX && i - at <= KEY_HEX_DIGITS) i += 1;
  return i - at > MIN_HEX_GROUP && (i === text.length || CHAR_CLASS[text.charCodeAt(i)] === 0);
}

/** "2FA" is not followed by a digit or letter: "tx 2fa3829e…" is the start of a hash. */
const OTP_LABEL =
  /(?<![A-Za-z0-9])(?:2fa|mfa|t?otp|one[ -]?time[ -]?(?:code|password|passcode)|(?:google[ -]?)?authenticator(?:[ -]?app)?|google[ -]?(?:auth[ -]?)?code|ga(?:[ -]?code)?|sms(?:[ -]?verification)?[ -]?code|e-?mail[ -]?verification[ -]?code|verification[ -]?code|security[ -]?code|auth[ -]?code)(?![A-Za-z0-9])|(?:谷歌|短信|手机|邮箱|二次)?验证码|谷歌验证器?|动态口令|动态码/iy;

/** Where a Chinese label can begin (the OTP label's optional prefixes are tried from 验证码 on). */
const CJK_LABEL_START = /密钥|密码|私钥|验证码|谷歌验证|动态口令|动态码/g;

/** Which labels can begin with a word: bit i for LABEL_RULES[i], TRY_OTP for the one-time code label. */
const TRY_OTP = 1 << LABEL_RULES.length;
const TRY_ALL = (TRY_OTP << 1) - 1;
/** By a word's first three letters (base 26). */
const TRIGGERS = new Uint8Array(26 ** 3);
const code3 = (text: string, at: number): number =>
  (((text.charCodeAt(at) | 32) - 97) * 26 + ((text.charCodeAt(at + 1) | 32) - 97)) * 26 +
  ((text.charCodeAt(at + 2) | 32) - 97);
const WORD_TRIGGERS: Record<string, number> = {
  api: 1 << 0,
  sec: (1 << 0) | (1 << 1) | TRY_OTP,
  pas: (1 << 2) | (1 << 3) | (1 << 4),
  pwd: 1 << 4,
  pri: 1 << 5,
  ...Object.fromEntries(
    ['mfa', 'otp', 'tot', 'one', 'goo', 'aut', 'sms', 'ema', 'ver', 'gac'].map((w) => [w, TRY_OTP]),
  ),
};
for (const [start, triggers] of Object.entries(WORD_TRIGGERS)) TRIGGERS[code3(start, 0)] |= triggers;

export class LabelledValues {
  readonly found: Span[] = [];
  /** The last value end looked up (in the text being scanned): values are found left to right. */
  private valueEnds = { from: -1, breakAt: -1 };

  /** A new text is about to be scanned. */
  startText(): void {
    this.valueEnds.from = -1;
    this.valueEnds.breakAt = -1;
  }

  /** The word `text.slice(start, end)` (ASCII letters): a label may begin with it. */
  word(text: string, start: number, end: number, base: number): void {
    const length = end - start;
    let triggers = 0;
    if (length >= 3) triggers = TRIGGERS[code3(text, start)];
    else if (length === 2)
      triggers =
        (text.charCodeAt(start) | 32) === 0x67 && (text.charCodeAt(start + 1) | 32) === 0x61 ? TRY_OTP : 0; // "ga"
    else if ((text.charCodeAt(start) | 32) === 0x65 && text[start + 1] === '-') triggers = TRY_OTP; // "e-mail"
    if (triggers & ~TRY_OTP) this.rulesAt(text, start, base, triggers);
    if (triggers & TRY_OTP) this.otpAt(text, start, base);
  }

  /** A run of letters and digits that starts with "2fa". */
  twoFactor(text: string, start: number, base: number): void {
    this.otpAt(text, start, base);
  }

  /** Chinese labels in `text` from `from` to `to`. */
  scanChinese(text: string, from: number, to: number, base: number): void {
    CJK_LABEL_START.lastIndex = from;
    for (let m = CJK_LABEL_START.exec(text); m && m.index < to; m = CJK_LABEL_START.exec(text)) {
      this.rulesAt(text, m.index, base, TRY_ALL);
      this.otpAt(text, m.index, base);
    }
  }

  private rulesAt(text: string, at: number, base: number, rules: number): void {
    for (let r = 0; r < LABEL_RULES.length; r++) {
      if (!(rules & (1 << r))) continue;
      const rule = LABEL_RULES[r];
      rule.label.lastIndex = at;
      if (!rule.label.test(text)) continue;
      const labelEnd = rule.label.lastIndex;
      SEPARATOR.lastIndex = labelEnd;
      if (!SEPARATOR.test(text) || SEPARATOR.lastIndex === labelEnd) continue;
      let valueStart = SEPARATOR.lastIndex;
      const explicit = isExplicit(text, labelEnd, valueStart);
      // "password:" ending its line: the value is the next line, if that is one token.
      const colon = explicit && hasColonOrEquals(text, labelEnd, valueStart);
      const lineStart = colon ? nextLineStart(text, valueStart) : valueStart;
      const nextLine = lineStart !== valueStart;
      valueStart = lineStart;
      const value = nextLine ? this.nextLineValueAt(text, valueStart) : this.valueAt(text, valueStart, colon);
      const accept = explicit ? rule.explicit : rule.implicit;
      if (value && accept?.(text, value.start, value.end)) {
        this.add(base + value.start, base + value.end, rule.kind);
      } else if (rule.groupedHex) {
        const end = groupedHexEnd(text, valueStart);
        if (end > 0) this.add(base + valueStart, base + end, rule.kind);
      }
    }
  }

  /**
   * The value starting at `start`: inside quotes, to the closing quote on its line; after a colon
   * or equals sign (`restOfLine`), the rest of the line when it reads as one value (see
   * lineValueEnd); else up to white space (see valueEnd).
   */
  private valueAt(
    text: string,
    start: number,
    restOfLine: boolean,
  ): { start: number; end: number } | undefined {
    const close = CLOSING_QUOTE.get(text.charCodeAt(start));
    if (close !== undefined) {
      for (let i = start + 1; i < text.length && i <= start + MAX_VALUE; i++) {
        const code = text.charCodeAt(i);
        if (code === close) return i > start + 1 ? { start: start + 1, end: i } : undefined;
        if (code === 0x0a || code === 0x0d) break;
      }
    }
    const lineValue = restOfLine ? lineValueEnd(text, start) : -1;
    if (lineValue === PROSE) return undefined;
    const end = Math.max(this.valueEnd(text, start), lineValue);
    return end > start ? { start, end } : undefined;
  }

  /**
   * The value on the line after a label that ends its line ("Password:\n  hunter2"): the line when
   * it is one token (passwords and codes are), or quoted; a line of words is the customer going
   * on ("My password:\nI forgot it"), not a value.
   */
  private nextLineValueAt(text: string, start: number): { start: number; end: number } | undefined {
    const value = this.valueAt(text, start, false);
    if (!value) return undefined;
    const after = value.end + (CLOSING_QUOTE.has(text.charCodeAt(start)) && value.start > start ? 1 : 0);
    return isBlankUntil(text, after, lineEnd(text, after)) ? value : undefined;
  }

  private otpAt(text: string, at: number, base: number): void {
    OTP_LABEL.lastIndex = at;
    if (!OTP_LABEL.test(text)) return;
    const fillerStart = OTP_LABEL.lastIndex;
    OTP_FILLER.lastIndex = fillerStart;
    OTP_FILLER.test(text); // it matches, if only the empty string
    const codeStart = OTP_FILLER.lastIndex;
    OTP_CODE.lastIndex = codeStart;
    if (!OTP_CODE.test(text)) return;
    const codeEnd = OTP_CODE.lastIndex;
    // "2FA 2023" is a year; "2FA: 2023" or "验证码是2023" is a code.
    const explicit = isExplicit(text, fillerStart, codeStart, true);
    // "GA" alone (Georgia, general availability) and a code on the next line need a colon or "#"
    // before it: "GA: 482913", "2FA:\n482913".
    let lineBreaks = 0;
    let lineBreak = -1;
    for (let i = fillerStart; i < codeStart; i++) {
      if (text.charCodeAt(i) === 0x0a && lineBreaks++ === 0) lineBreak = i;
    }
    if (lineBreaks > 1 || (lineBreaks === 1 && !isExplicit(text, fillerStart, lineBreak, true))) return;
    if (fillerStart - at === 2 && !explicit) return;
    if (explicit || !YEAR.test(text.slice(codeStart, codeEnd).normalize('NFKC')))
      this.add(base + codeStart, base + codeEnd, 'otp');
  }

  /** Values of one kind that overlap ("pwd=pwd=pwd=…", each label's value holds the next) are one value. */
  private add(start: number, end: number, kind: SecretKind): void {
    const last = this.found.length > 0 ? this.found[this.found.length - 1] : undefined;
    if (last && last.kind === kind && start >= last.start && start < last.end) {
      last.end = Math.max(last.end, end);
      return;
    }
    this.found.push(kind === 'private_key' ? { start, end, kind, keyLabel: true } : { start, end, kind });
  }

  /**
   * Where a value starting at `start` ends: at the first break, 256 characters at most. The break
   * found last is reused while values start before it, so a text of labels is read once, not once
   * per label.
   */
  private valueEnd(text: string, start: number): number {
    const cache = this.valueEnds;
    if (start < cache.from || start > cache.breakAt) {
      let breakAt = start;
      while (breakAt < text.length && !endsValue(text.charCodeAt(breakAt))) breakAt += 1;
      cache.from = start;
      cache.breakAt = breakAt;
    }
    return Math.min(cache.breakAt, start + MAX_VALUE);
  }
}
