import { wordlist as ENGLISH_WORDLIST } from '@scure/bip39/wordlists/english.js';

/**
 * Secret detection for free text (SPEC §9): seed phrases, keys, exchange API secrets, passwords and
 * one-time codes are replaced by `[REDACTED:<kind>]` before anything is stored.
 *
 * Pure functions over strings, no I/O.
 */

export type SecretKind =
  'mnemonic' | 'private_key' | 'wif' | 'extended_private_key' | 'api_secret' | 'password' | 'otp';

export interface RedactionResult {
  text: string;
  kinds: Partial<Record<SecretKind, number>>;
  redacted: boolean;
}

interface Span {
  start: number;
  end: number;
  kind: SecretKind;
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

export function redactSecrets(text: string): RedactionResult {
  const spans = mergeSpans([
    ...findExtendedPrivateKeys(text),
    ...findWifKeys(text),
    ...findLabelledValues(text),
    ...findHexPrivateKeys(text),
    ...findMnemonics(text),
  ]);
  if (spans.length === 0) return { text, kinds: {}, redacted: false };

  const kinds: Partial<Record<SecretKind, number>> = {};
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    out += `${text.slice(cursor, span.start)}[REDACTED:${span.kind}]`;
    cursor = span.end;
    kinds[span.kind] = (kinds[span.kind] ?? 0) + 1;
  }
  return { text: out + text.slice(cursor), kinds, redacted: true };
}

/** Applies redactSecrets to several named free-text values at once and merges the counts. */
export function redactFields<T extends Record<string, string | undefined>>(
  values: T,
): { values: T; kinds: Partial<Record<SecretKind, number>>; redacted: boolean } {
  const out: Record<string, string | undefined> = {};
  const kinds: Partial<Record<SecretKind, number>> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) {
      out[name] = value;
      continue;
    }
    const result = redactSecrets(value);
    out[name] = result.text;
    for (const [kind, count] of Object.entries(result.kinds) as [SecretKind, number][]) {
      kinds[kind] = (kinds[kind] ?? 0) + count;
    }
  }
  return { values: out as T, kinds, redacted: Object.keys(kinds).length > 0 };
}

/**
 * Overlapping detections (a password label whose value starts a seed phrase, a labelled API secret
 * that is also 64 hex characters) become one replacement covering their union, so nothing leaks at
 * the edges and nothing is counted twice. The longest detection names it; ties go by KIND_PRIORITY.
 */
function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  const namers: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      const namer = namers[namers.length - 1];
      last.end = Math.max(last.end, span.end);
      if (outranks(span, namer)) {
        namers[namers.length - 1] = span;
        last.kind = span.kind;
      }
    } else {
      merged.push({ ...span });
      namers.push(span);
    }
  }
  return merged;
}

function outranks(a: Span, b: Span): boolean {
  const lengthA = a.end - a.start;
  const lengthB = b.end - b.start;
  if (lengthA !== lengthB) return lengthA > lengthB;
  return KIND_PRIORITY.indexOf(a.kind) < KIND_PRIORITY.indexOf(b.kind);
}

// ---------------------------------------------------------------------------------------------
// BIP39 mnemonics
// ---------------------------------------------------------------------------------------------

/**
 * @scure/bip39 ships ES modules only. The compiled CommonJS app loads it with Node's require(esm)
 * (Node >= 20.19, as package.json's engines demand); jest compiles it through test/support/esm-transform.js.
 */
const WORDLIST: readonly string[] = ENGLISH_WORDLIST;
/** BIP39 words are unique in their first four letters; three-letter words must match exactly. */
const THREE_LETTER_WORDS = new Set(WORDLIST.filter((word) => word.length === 3));
const FOUR_LETTER_PREFIXES = new Set(WORDLIST.filter((word) => word.length >= 4).map((w) => w.slice(0, 4)));

const MIN_MNEMONIC_WORDS = 12;

function isMnemonicWord(token: string): boolean {
  const lower = token.toLowerCase();
  if (lower.length < 3) return false;
  if (lower.length === 3) return THREE_LETTER_WORDS.has(lower);
  return FOUR_LETTER_PREFIXES.has(lower.slice(0, 4));
}

/**
 * What may stand between two words of one phrase: whitespace of any amount, list separators (comma,
 * semicolon, hyphen, slash, bar, quotes) and list numbers ("1." "1)" "(1)" "[1]" "#1" "1、").
 * Everything else ends the run: full stops and other sentence punctuation, numbers of three or more
 * digits, brackets that are not numbering, any other text. A phrase copied from a backup card or a
 * wallet has none of those between its words, and prose needs the breaks: over 2 MB of English prose
 * (package READMEs, code removed) never has more than 10 list words in a row this way, but reaches 12
 * once full stops are let through.
 */
const GAP_PIECE =
  /\s+|[,;|/\-_–—"'“”‘’，、；]|(?:#\d{1,2}|\(\d{1,2}\)|（\d{1,2}）|\[\d{1,2}\]|\d{1,2}[.:：、)）]?)(?!\d)/y;
/** Non-space characters allowed between two words ("(12)," is 5). */
const MAX_GAP_SYMBOLS = 12;

function isWordGap(gap: string): boolean {
  if (gap.replace(/\s+/g, '').length > MAX_GAP_SYMBOLS) return false;
  GAP_PIECE.lastIndex = 0;
  while (GAP_PIECE.lastIndex < gap.length) {
    if (!GAP_PIECE.exec(gap)) return false;
  }
  return true;
}

/** A list number directly in front of the first word ("1. ", "(1) ", "#1 ") belongs to the phrase. */
const LEADING_NUMBER = /(?<![\p{L}\p{N}])(?:#\d{1,2}|[([]\d{1,2}[)\]]|\d{1,2}[.):：、]?)[ \t]*$/u;

function findMnemonics(text: string): Span[] {
  const spans: Span[] = [];
  let runStart = 0;
  let runEnd = 0;
  let runWords = 0;
  const closeRun = (): void => {
    if (runWords >= MIN_MNEMONIC_WORDS) {
      const numbering = LEADING_NUMBER.exec(text.slice(Math.max(0, runStart - 8), runStart));
      const start = numbering ? runStart - numbering[0].length : runStart;
      spans.push({ start, end: runEnd, kind: 'mnemonic' });
    }
    runWords = 0;
  };

  for (const match of text.matchAll(/[A-Za-z]+/g)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!isMnemonicWord(match[0])) {
      closeRun();
    } else if (runWords > 0 && isWordGap(text.slice(runEnd, start))) {
      runWords += 1;
      runEnd = end;
    } else {
      closeRun();
      runStart = start;
      runEnd = end;
      runWords = 1;
    }
  }
  closeRun();
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Keys: BIP32 extended private keys, WIF, raw 64-hex private keys
// ---------------------------------------------------------------------------------------------

const BASE58 = '1-9A-HJ-NP-Za-km-z';

/** xprv/tprv/yprv/zprv/uprv/vprv (and the multisig Yprv/Zprv/Uprv/Vprv): 111 characters, some slack for typos. */
const EXTENDED_PRIVATE_KEY = new RegExp(
  `(?<![A-Za-z0-9])[xtyzuvYZUV]prv[${BASE58}]{96,116}(?![A-Za-z0-9])`,
  'g',
);

/**
 * Mainnet WIF: 0x80 + 32-byte key (+ 0x01 when compressed) + 4-byte checksum in Base58, which
 * always reads "5H…"/"5J…"/"5K…" at 51 characters or "K…"/"L…" at 52. The checksum is not required:
 * a key with one mistyped character is still a key (an attacker recovers it by trying ~3000
 * variants), while the shape alone already excludes every address format seen in support text
 * (BTC 1…/3…/bc1…, LTC L… at 34, TRON T… at 34, Solana at 32–44 or signatures at 87–88).
 */
const WIF = new RegExp(`(?<![A-Za-z0-9])(?:5[HJK][${BASE58}]{49}|[KL][${BASE58}]{51})(?![A-Za-z0-9])`, 'g');

function findExtendedPrivateKeys(text: string): Span[] {
  return [...text.matchAll(EXTENDED_PRIVATE_KEY)].map((m) => toSpan(m, 'extended_private_key'));
}

function findWifKeys(text: string): Span[] {
  return [...text.matchAll(WIF)].map((m) => toSpan(m, 'wif'));
}

const HEX_64 = /(?<![A-Za-z0-9])(?:0[xX])?[0-9a-fA-F]{64}(?![A-Za-z0-9])/g;
/** A 64-hex string (or a list of them) right after one of these, on its line, is kept. */
const EVIDENCE_LABEL =
  /(?<![a-z])(?:txids?|txns?|txs?|trx(?:id)?|(?:tx|block)?hash(?:es)?|transactions?(?:id|hash)?|address(?:es)?)(?![a-z])|交易哈希|哈希|交易\s*id|交易编号|地址/i;
/** …unless the same window also calls it a key, which wins: a key must never be kept by mistake. */
const KEY_LABEL = /(?<![a-z])(?:priv(?:ate)?|key|keys|privkey|seed|secret)(?![a-z])|私钥|密钥/i;
const LABEL_WINDOW = 30;

/**
 * Raw private keys: 64 hex characters, with or without 0x, redacted unless they are evidence —
 * labelled as a transaction/block hash, TXID or address (Aptos and Sui addresses are 64 hex) within
 * the 30 characters before them on their line (or at the end of the previous line when the hash
 * starts its own line), or part of a block-explorer URL.
 */
function findHexPrivateKeys(text: string): Span[] {
  const spans: Span[] = [];
  let previous: { start: number; end: number; listStart: number } | undefined;
  for (const match of text.matchAll(HEX_64)) {
    const start = match.index;
    const listStart = previous && continuesList(text, previous, start) ? previous.listStart : start;
    previous = { start, end: start + match[0].length, listStart };
    if (!isInExplorerUrl(text, start) && !isLabelledEvidence(text, listStart)) {
      spans.push(toSpan(match, 'private_key'));
    }
  }
  return spans;
}

/**
 * "TXIDs: <hash>, <hash> and <hash>", or one hash per line under "TXIDs:": the label in front of a
 * list covers every item of it. A list goes on to the next line only from a line that holds nothing
 * but hashes, so "TXID: <hash>\n<key>" does not shelter the key.
 */
function continuesList(text: string, previous: { start: number; end: number }, start: number): boolean {
  const between = text.slice(previous.end, start);
  if (!LIST_SEPARATOR.test(between)) return false;
  return !between.includes('\n') || lineBefore(text, previous.start).trim() === '';
}

const LIST_SEPARATOR = /^[\s,;，、]*(?:(?:and|&|和|及)[ \t]*)?$/;

function isLabelledEvidence(text: string, listStart: number): boolean {
  let window = lineBefore(text, listStart).slice(-LABEL_WINDOW);
  if (window.trim() === '') {
    // "Transaction hash:\n0xabc…": a label that ends the previous line counts too.
    const previousLine = text.slice(Math.max(0, listStart - window.length - 2 * LABEL_WINDOW), listStart);
    const tail = previousLine.trimEnd().split('\n').at(-1) ?? '';
    window = previousLine.includes('\n') && LINE_END_LABEL.test(tail) ? tail.slice(-LABEL_WINDOW) : '';
  }
  return EVIDENCE_LABEL.test(window) && !KEY_LABEL.test(window);
}

/** The text between the start of the line and `index`, looking back at most 300 characters. */
function lineBefore(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 300), index);
  return before.slice(before.lastIndexOf('\n') + 1);
}

const LINE_END_LABEL = new RegExp(`(?:${EVIDENCE_LABEL.source})[\\s:：=#()（）]*$`, 'i');

const EXPLORER_HOSTS = [
  'etherscan.io',
  'bscscan.com',
  'tronscan.org',
  'tronscan.io',
  'blockchain.com',
  'mempool.space',
  'solscan.io',
  'blockchair.com',
  'blockstream.info',
  'btc.com',
  'oklink.com',
  'polygonscan.com',
  'arbiscan.io',
  'basescan.org',
  'snowtrace.io',
  'ftmscan.com',
  'blockcypher.com',
  'tonscan.org',
  'tonviewer.com',
  'suiscan.xyz',
  'suivision.xyz',
  'aptoscan.com',
  'explorer.aptoslabs.com',
  'litecoinspace.org',
];

/** Explorer links (etherscan.io/tx/0x…, tronscan.org/#/transaction/…, any host's /tx/ path) are evidence. */
function isInExplorerUrl(text: string, start: number): boolean {
  const before = lineBefore(text, start);
  const url = /^[(<[“"']*(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?::\d+)?([/#?]\S*)$/i.exec(
    before.slice(before.search(/\S*$/)),
  );
  if (!url) return false;
  const host = url[1].toLowerCase();
  const knownExplorer = EXPLORER_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
  return knownExplorer || /\/(?:tx|txs|transaction|transactions)\/(?:[^\s/]*\/)?$/i.test(url[2]);
}

// ---------------------------------------------------------------------------------------------
// Labelled values: API secrets and passphrases, passwords, one-time codes, labelled private keys
// ---------------------------------------------------------------------------------------------

interface LabelRule {
  kind: SecretKind;
  label: RegExp;
  /** Value after an explicit separator: `label: value`, `label=value`, `标签：value`, `标签是value`. */
  explicit: (value: string) => boolean;
  /** Value after whitespace or "is": `label value`, `label is value`; stricter, this is where prose lives. */
  implicit?: (value: string) => boolean;
}

/** A value runs to whitespace, or to CJK text / full-width punctuation ("密码是abc123，谢谢"); 256 characters at most. */
const VALUE = /[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]{1,256}/y;
const SEPARATOR = /[ \t]*(?:(?:is|was)(?![A-Za-z])[ \t]*)?([:=：]|是|为)?[ \t]*/iy;
/** Between an OTP label and its code: "2FA (Google Authenticator) code is: 123456". */
const OTP_FILLER =
  /(?:[ \t]*(?:[()（）]|codes?(?![a-z])|is(?![a-z])|was(?![a-z])|[:=：#]|是|为)){0,5}[ \t]*/iy;

const OTP_CODE = /(?:\d{4,8}|\d{3}[ -]\d{3})(?!\d|[-/.:]\d)/y;
const YEAR = /^(?:19|20)\d\d$/;

function looksLikeSecret(value: string): boolean {
  const core = value.replace(/^[("'“‘[<]+|[)"'”’\]>.,;:!?]+$/g, '');
  if (core.length < 6) return false;
  return /\d/.test(core) || /[^A-Za-z0-9'-]/.test(core) || (/[a-z]/.test(core) && /.[A-Z]/.test(core));
}

const any = (): boolean => true;
const KEY_MATERIAL = new RegExp(
  `^(?:(?:0[xX])?[0-9a-fA-F]{64}|[${BASE58}]{43,100}|[A-Za-z0-9+/]{40,}={0,2})[.,;]?$`,
);

const LABEL_RULES: readonly LabelRule[] = [
  {
    kind: 'api_secret',
    label:
      /(?<![A-Za-z])(?:api[ _-]?secret(?:[ _-]?key)?|api[ _-]?key[ _-]?secret|secret[ _-]?key)(?![A-Za-z])|api[ _-]?密钥|密钥/gi,
    explicit: (value) => value.length >= 16,
    implicit: (value) => value.length >= 16 && /\d/.test(value),
  },
  { kind: 'api_secret', label: /(?<![A-Za-z])secret(?![A-Za-z])/gi, explicit: (value) => value.length >= 16 },
  {
    kind: 'api_secret',
    label: /(?<![A-Za-z])pass[ _-]?phrase(?![A-Za-z])/gi,
    explicit: any,
    implicit: looksLikeSecret,
  },
  {
    kind: 'password',
    label: /(?<![A-Za-z])(?:password|passwd)(?![A-Za-z])|密码/gi,
    explicit: any,
    implicit: looksLikeSecret,
  },
  // "pass" and "pwd" are ordinary words or fragments in prose ("did not pass Level-2 KYC").
  { kind: 'password', label: /(?<![A-Za-z])(?:pass|pwd)(?![A-Za-z])/gi, explicit: any },
  {
    kind: 'private_key',
    label: /(?<![A-Za-z])(?:private[ _-]?key|priv[ _-]?key|privkey|priv)(?![A-Za-z])|私钥/gi,
    explicit: (value) => KEY_MATERIAL.test(value),
    implicit: (value) => KEY_MATERIAL.test(value),
  },
];

const OTP_LABEL =
  /(?<![A-Za-z0-9])(?:2fa|mfa|t?otp|one[ -]?time[ -]?(?:code|password|passcode)|(?:google[ -]?)?authenticator(?:[ -]?app)?|google[ -]?(?:auth[ -]?)?code|ga[ -]?code|sms(?:[ -]?verification)?[ -]?code|e-?mail[ -]?verification[ -]?code|verification[ -]?code|security[ -]?code|auth[ -]?code)(?![A-Za-z])|(?:谷歌|短信|手机|邮箱|二次)?验证码|谷歌验证器?|动态口令|动态码/gi;

function findLabelledValues(text: string): Span[] {
  const spans: Span[] = [];
  for (const rule of LABEL_RULES) {
    for (const label of text.matchAll(rule.label)) {
      SEPARATOR.lastIndex = label.index + label[0].length;
      const separator = SEPARATOR.exec(text);
      if (!separator || separator[0] === '') continue;
      VALUE.lastIndex = SEPARATOR.lastIndex;
      const value = VALUE.exec(text);
      if (!value) continue;
      const accept = separator[1] ? rule.explicit : rule.implicit;
      if (accept?.(value[0])) spans.push(toSpan(value, rule.kind));
    }
  }
  for (const label of text.matchAll(OTP_LABEL)) {
    OTP_FILLER.lastIndex = label.index + label[0].length;
    const filler = OTP_FILLER.exec(text);
    if (!filler) continue;
    OTP_CODE.lastIndex = OTP_FILLER.lastIndex;
    const code = OTP_CODE.exec(text);
    if (!code) continue;
    // "2FA 2023" is a year; "2FA: 2023" or "验证码是2023" is a code.
    const explicit = /[:=：#是为]/.test(filler[0]);
    if (explicit || !YEAR.test(code[0])) spans.push(toSpan(code, 'otp'));
  }
  return spans;
}

function toSpan(match: RegExpMatchArray | RegExpExecArray, kind: SecretKind): Span {
  const start = match.index ?? 0;
  return { start, end: start + match[0].length, kind };
}
