import type { Span } from './secret-span';
import { isWhitespace, lineBefore } from './text-chars';

/**
 * Keys in free text (SPEC §9): BIP32 extended private keys, WIF keys and raw 64-hex private keys.
 * Each is a whole alphanumeric run (the scanner hands over every maximal run of [A-Za-z0-9] with
 * what it counted in it), so finding them costs nothing beyond the one pass over the text.
 */

/** Where a run of [A-Za-z0-9] is, and what it is made of. */
export interface AlphanumericRun {
  start: number;
  end: number;
  /** Characters in it that are not hex digits, and where the first of them is. */
  nonHex: number;
  firstNonHex: number;
  /** Characters in it that are not Base58. */
  nonBase58: number;
}

/** xprv/tprv/yprv/zprv/uprv/vprv (and the multisig Yprv/Zprv/Uprv/Vprv): 111 characters, some slack for typos. */
const EXTENDED_KEY_HEAD = /^[xtyzuvYZUV]prv$/;
const EXTENDED_KEY_LENGTH = { min: 100, max: 120 };

/**
 * Mainnet WIF: 0x80 + 32-byte key (+ 0x01 when compressed) + 4-byte checksum in Base58, which
 * always reads "5H…"/"5J…"/"5K…" at 51 characters or "K…"/"L…" at 52. The checksum is not required:
 * a key with one mistyped character is still a key (an attacker recovers it by trying ~3000
 * variants), while the shape alone already excludes every address format seen in support text
 * (BTC 1…/3…/bc1…, LTC L… at 34, TRON T… at 34, Solana at 32–44 or signatures at 87–88).
 */
function isWif(text: string, run: AlphanumericRun): boolean {
  const length = run.end - run.start;
  const first = text[run.start];
  if (length === 51) return first === '5' && 'HJK'.includes(text[run.start + 1]);
  return length === 52 && (first === 'K' || first === 'L');
}

/** 64 hex digits, or 0x/0X and 64 hex digits. */
function isHex64(text: string, run: AlphanumericRun): boolean {
  const length = run.end - run.start;
  if (length === 64) return run.nonHex === 0;
  return (
    length === 66 &&
    run.nonHex === 1 &&
    run.firstNonHex === run.start + 1 &&
    text[run.start] === '0' &&
    (text[run.start + 1] === 'x' || text[run.start + 1] === 'X')
  );
}

/** A 64-hex string (or a list of them) right after one of these, on its line, is kept. */
const EVIDENCE_LABEL =
  /(?<![a-z])(?:txids?|txns?|txs?|trx(?:id)?|(?:tx|block)?hash(?:es)?|transactions?(?:id|hash)?|address(?:es)?)(?![a-z])|哈希|交易|链上|转账|充值|提现|提币|地址/i;
/**
 * The transaction part of those: what the wider look-back accepts. In Chinese, a transaction
 * (交易), on-chain (链上), transfer (转账), deposit (充值) or withdrawal (提现, 提币) names a
 * transaction hash as much as 交易哈希 does: "链上交易 <hash>", "链上记录 <hash> 已确认".
 */
const TRANSACTION_LABEL =
  /(?<![a-z])(?:txids?|txns?|txs?|trx(?:id)?|(?:tx|block)?hash(?:es)?|transactions?(?:id|hash)?)(?![a-z])|哈希|交易|链上|转账|充值|提现|提币/i;
/**
 * …unless the same window also calls it a key (or says it was exported, as keys are from a wallet),
 * which wins: a key must never be kept by mistake.
 */
const KEY_LABEL =
  /(?<![a-z])(?:priv(?:ate)?|key|keys|privkey|seed|secret|export(?:ed|ing)?)(?![a-z])|私钥|密钥|导出/i;
/** A label this close in front of the hex, on its line, decides (30 characters). */
const LABEL_WINDOW = 30;
/**
 * Transaction wording further back in the same sentence on the same line still marks a hash:
 * "Here is the transaction I sent (it is on BSC, from Binance): 0x…" (49 characters back).
 */
const WIDE_LABEL_WINDOW = 64;
/** The end of a sentence: what the wide look-back does not reach past. */
const SENTENCE_END = /[.!?](?=\s)|[。！？]/g;

const LINE_END_LABEL = new RegExp(`(?:${EVIDENCE_LABEL.source})[\\s:：=#()（）]*$`, 'i');

/** "TXIDs: <hash>, <hash> and <hash>": the label in front of a list covers every item of it. */
const LIST_SEPARATOR = /^[\s,;，、]*(?:(?:and|&|和|及)[ \t]*)?$/;
/** Items of one list are at most this far apart (a list is not kept across a page of blank lines). */
const MAX_LIST_GAP = 256;

/** What the text in front of a 64-hex value says it is. */
type HexLabel = 'evidence' | 'key' | 'none';

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
const URL_BEFORE = /^[(<[“"']*(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?::\d+)?([/#?]\S*)$/i;

/** Explorer links (etherscan.io/tx/0x…, tronscan.org/#/transaction/…, any host's /tx/ path) are evidence. */
function isInExplorerUrl(text: string, start: number): boolean {
  const before = lineBefore(text, start);
  let wordStart = before.length;
  while (wordStart > 0 && !isWhitespace(before.charCodeAt(wordStart - 1))) wordStart -= 1;
  const url = URL_BEFORE.exec(before.slice(wordStart));
  if (!url) return false;
  const host = url[1].toLowerCase();
  const knownExplorer = EXPLORER_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
  return knownExplorer || /\/(?:tx|txs|transaction|transactions)\/(?:[^\s/]*\/)?$/i.test(url[2]);
}

/**
 * What labels a 64-hex value at `start` (`line` is the text before it on its line): a key label within the 30 characters before it on its
 * line, else an evidence label there (transaction/block hash, TXID, address: Aptos and Sui
 * addresses are 64 hex), else transaction wording earlier in the same sentence (64 characters),
 * where a key label still wins. A hash that starts its own line takes the label that ends the
 * previous line ("Transaction hash:\n0xabc…").
 */
function labelOf(text: string, start: number, line: string): HexLabel {
  const near = line.slice(-LABEL_WINDOW);
  if (near.trim() === '') {
    const previousLine = text.slice(Math.max(0, start - near.length - 2 * LABEL_WINDOW), start);
    const tail = previousLine.trimEnd().split('\n').at(-1) ?? '';
    if (!previousLine.includes('\n')) return 'none';
    const window = tail.slice(-LABEL_WINDOW);
    if (KEY_LABEL.test(window)) return 'key';
    return LINE_END_LABEL.test(tail) && EVIDENCE_LABEL.test(window) ? 'evidence' : 'none';
  }
  if (KEY_LABEL.test(near)) return 'key';
  if (EVIDENCE_LABEL.test(near)) return 'evidence';
  const wide = sentenceTail(line.slice(-WIDE_LABEL_WINDOW));
  if (KEY_LABEL.test(wide)) return 'key';
  return TRANSACTION_LABEL.test(wide) ? 'evidence' : 'none';
}

function sentenceTail(text: string): string {
  let from = 0;
  for (const end of text.matchAll(SENTENCE_END)) from = end.index + end[0].length;
  return text.slice(from);
}

export class KeyDetector {
  readonly found: Span[] = [];
  /** The last 64-hex value seen: a list goes on from it. */
  private previous: { end: number; startsLine: boolean; label: HexLabel } | undefined;

  /** An alphanumeric run of `text` (offsets in `text`; `base` turns them absolute). */
  run(text: string, run: AlphanumericRun, base: number): void {
    const length = run.end - run.start;
    if (run.nonBase58 === 0) {
      if (
        length >= EXTENDED_KEY_LENGTH.min &&
        length <= EXTENDED_KEY_LENGTH.max &&
        EXTENDED_KEY_HEAD.test(text.slice(run.start, run.start + 4))
      ) {
        this.found.push({ start: base + run.start, end: base + run.end, kind: 'extended_private_key' });
        return;
      }
      if (isWif(text, run)) {
        this.found.push({ start: base + run.start, end: base + run.end, kind: 'wif' });
        return;
      }
    }
    if (isHex64(text, run)) this.hex(text, run.start, run.end, base);
  }

  /**
   * Raw private keys: 64 hex characters, with or without 0x, redacted unless they are evidence —
   * labelled as such (see labelOf), an item of a list so labelled, or part of a block-explorer URL.
   */
  private hex(text: string, start: number, end: number, base: number): void {
    const line = lineBefore(text, start);
    const label = this.continuesList(text, start, base) ? this.previous!.label : labelOf(text, start, line);
    this.previous = { end: base + end, startsLine: line.trim() === '', label };
    if (label === 'evidence' || isInExplorerUrl(text, start)) return;
    this.found.push({
      start: base + start,
      end: base + end,
      kind: 'private_key',
      unlabelledHex: label === 'none',
    });
  }

  /**
   * "TXIDs: <hash>, <hash> and <hash>", or one hash per line under "TXIDs:": the item takes the
   * label of the list. A list goes on to the next line only from a line that starts with a hash,
   * so "TXID: <hash>\n<key>" does not shelter the key.
   */
  private continuesList(text: string, start: number, base: number): boolean {
    const previous = this.previous;
    if (!previous || base + start - previous.end > MAX_LIST_GAP) return false;
    const between = text.slice(previous.end - base, start);
    if (!LIST_SEPARATOR.test(between)) return false;
    return !between.includes('\n') || previous.startsLine;
  }
}
