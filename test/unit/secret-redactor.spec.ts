import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { redactionNotice } from '../../src/redaction/redaction-notice';
import { redactFields, redactSecrets, SecretKind, SecretRedactor } from '../../src/redaction/secret-redactor';
import { secretsInStructuredValues } from '../../src/redaction/structured-values';

/** Fixed entropy, so every run builds the same (checksum-valid) phrases. */
function mnemonic(bytes: number, seed: number): string {
  return entropyToMnemonic(
    Uint8Array.from({ length: bytes }, (_, i) => (i * 37 + seed) & 0xff),
    wordlist,
  );
}

const M12 = mnemonic(16, 1); // abuse crane switch clock pupil link pioneer solar obvious upper limb flag
const M15 = mnemonic(20, 2);
const M18 = mnemonic(24, 3);
const M24 = mnemonic(32, 4);
const words = (phrase: string): string[] => phrase.split(' ');

// Public test vectors (BIP32, Bitcoin wiki) and random values: none of them holds funds.
const HEX_KEY = 'e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35';
const HEX_KEY_2 = '8f55bf956ef6124fb1aa104bc67981ba026b3bb64e8ae0b33f3fbc13682d0fe2';
const TX_HASH = 'c698e5b69fda9df98732c6735393f8210c6ab8f91e9b0630c52847a48577bdc0';
const TX_HASH_2 = '68746cc9057cc1101e5e290098ae61f74daea87ff4a791975a86d8c68892103a';
const WIF_UNCOMPRESSED = '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ';
const WIF_COMPRESSED_K = 'KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn';
const WIF_COMPRESSED_L = 'L5oLkpV3aqBjhki6LmvChTCV6odsp4SXM6FfU2Gppt5kFLaHLuZ9';
const WIF_TYPO = 'KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoXn'; // checksum no longer valid
const XPRV =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const TPRV =
  'tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSUUbTVeFszDE23Ki6TBB5nCefAdHkK8Fm3qMQR6sHwA56zqRmKmxnHk37JkiFzvncDqoKmPWubu7hDF';
const ZPRV =
  'zprvAWgYBBk7JR8Gjrh4UJQ2uJdG1r3WNRRfURiABBE3RvMXYSrRJL62XuezvGdPvG6GFBZduosCc1YP5wixPox7zhZLfiUm8aunE96BBa4Kei5';
const XPUB =
  'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8';
const SOLANA_KEY = '31vV9a66oRWnMqPrqoo8ghuSNrD5p3q979LWV1ryGAJPgWPCB8aBVd1rMMGUBroYoT6mPbqpWbmFes1iZJD46PBZ';
const API_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const API_SECRET_B64 = 'q/s+pWyfA/jYlySm3DOKZEwKfHiSPdb3';

interface Case {
  name: string;
  input: string;
  output: string;
  kinds: Partial<Record<SecretKind, number>>;
  /** The secret values in `input`, which must not survive in the output. */
  secrets?: string[];
}

const MNEMONIC_CASES: Case[] = [
  { name: '12 words', input: M12, output: '[REDACTED:mnemonic]', kinds: { mnemonic: 1 } },
  { name: '15 words', input: M15, output: '[REDACTED:mnemonic]', kinds: { mnemonic: 1 } },
  { name: '18 words', input: M18, output: '[REDACTED:mnemonic]', kinds: { mnemonic: 1 } },
  { name: '24 words', input: M24, output: '[REDACTED:mnemonic]', kinds: { mnemonic: 1 } },
  {
    name: 'the all-zero BIP39 test vector',
    input: 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: '"1." numbering, one word per line, numbering included in the replacement',
    input: `My words:\n${words(M24)
      .map((w, i) => `${i + 1}. ${w}`)
      .join('\n')}\nRegards`,
    output: 'My words:\n[REDACTED:mnemonic]\nRegards',
    kinds: { mnemonic: 1 },
  },
  {
    name: '"1)" numbering on one line',
    input: words(M12)
      .map((w, i) => `${i + 1}) ${w}`)
      .join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: '"(1)" numbering with commas',
    input: words(M15)
      .map((w, i) => `(${i + 1}) ${w}`)
      .join(', '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: '"#1" numbering',
    input: `seed ->\n${words(M12)
      .map((w, i) => `#${i + 1} ${w}`)
      .join('  ')}`,
    output: 'seed ->\n[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: '"1、" numbering after Chinese text',
    input: `我的助记词：${words(M12)
      .map((w, i) => `${i + 1}、${w}`)
      .join(' ')}，请帮我找回资产`,
    output: '我的助记词：[REDACTED:mnemonic]，请帮我找回资产',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'commas',
    input: `${words(M18).join(', ')}.`,
    output: '[REDACTED:mnemonic].',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'semicolons and hyphens',
    input: `${words(M12).slice(0, 6).join('-')}; ${words(M12).slice(6).join(' - ')}`,
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'line breaks, blank lines, tabs and extra spaces',
    input: `${words(M12).slice(0, 4).join('   ')}\r\n\r\n${words(M12).slice(4, 8).join('\t')}\n\n  ${words(M12).slice(8).join('  ')}\n`,
    output: '[REDACTED:mnemonic]\n',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'upper case',
    input: M24.toUpperCase(),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'capitalised words',
    input: words(M12)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // abuse → abusx, crane → cranx, switch → switxx …: the first four letters still identify each word.
    name: 'typos after the fourth letter',
    input: words(M12)
      .map((w) => (w.length > 4 ? w.slice(0, 4) + 'x'.repeat(w.length - 4) : w))
      .join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'words cut to four letters, as on a metal backup',
    input: words(M24)
      .map((w) => w.slice(0, 4))
      .join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'a phrase embedded in a sentence',
    input: `Hi, support asked for it so here is my phrase: ${M12}. Can you restore my wallet?`,
    output: 'Hi, support asked for it so here is my phrase: [REDACTED:mnemonic]. Can you restore my wallet?',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'a JSON array of words',
    input: `{"seed": ${JSON.stringify(words(M12))}}`,
    output: '{"seed": ["[REDACTED:mnemonic]"]}',
    kinds: { mnemonic: 1 },
  },
  {
    // "new" (a word off the list, tolerated) and "wallet" (a list word) go with the first phrase;
    // the colon after them ends it.
    name: 'two phrases are two occurrences',
    input: `old wallet: ${M12}\nnew wallet: ${M15}`,
    output: 'old wallet: [REDACTED:mnemonic]: [REDACTED:mnemonic]',
    kinds: { mnemonic: 2 },
  },
  {
    // "Hello", "seed" and "phrase" are list words too, and "my" between them is tolerated: nothing
    // tells them apart from the phrase.
    name: 'list words right next to a phrase, which go with it',
    input: `Hello my seed phrase ${M12}`,
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'a password label in front of a phrase does not split it',
    input: `password: ${M12}`,
    output: 'password: [REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
];

/** Full-width digits, as Chinese input methods type them: 12 → "１２". */
const fullWidth = (n: number): string =>
  String(n).replace(/\d/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫';

/**
 * Separators found in the wild: any short gap with no letter (of any script) and no number longer
 * than a list number joins two words. Only the gap is normalised: the replacement covers the
 * phrase's own characters in the original text, whatever stands around it.
 */
const SEPARATOR_CASES: Case[] = [
  ['ideographic full stops', `助记词：${words(M12).join('。')}。谢谢`, '助记词：[REDACTED:mnemonic]。谢谢'],
  ['ideographic full stops and spaces', `${words(M12).join('。 ')}。`, '[REDACTED:mnemonic]。'],
  ['middle dots', `seed: ${words(M12).join(' · ')} (backup)`, 'seed: [REDACTED:mnemonic] (backup)'],
  [
    'bullets',
    `Backup\n${words(M12)
      .map((w) => `• ${w}`)
      .join('\n')}\nRegards`,
    'Backup\n• [REDACTED:mnemonic]\nRegards',
  ],
  [
    'asterisk bullets',
    words(M12)
      .map((w) => `* ${w}`)
      .join('\n'),
    '* [REDACTED:mnemonic]',
  ],
  ['arrows', words(M12).join(' -> '), '[REDACTED:mnemonic]'],
  ['plus signs', words(M12).join(' + '), '[REDACTED:mnemonic]'],
  ['zero-width spaces', `Seed: ${words(M12).join('\u200b')}\nRegards`, 'Seed: [REDACTED:mnemonic]\nRegards'],
  [
    'full-width "１）" numbering',
    `我的助记词：${words(M12)
      .map((w, i) => `${fullWidth(i + 1)}）${w}`)
      .join(' ')}，谢谢`,
    '我的助记词：[REDACTED:mnemonic]，谢谢',
  ],
  [
    'full-width "１．" numbering, one per line',
    `助记词\n${words(M12)
      .map((w, i) => `${fullWidth(i + 1)}．${w}`)
      .join('\n')}\n谢谢`,
    '助记词\n[REDACTED:mnemonic]\n谢谢',
  ],
  [
    'circled numbers',
    `备份：${words(M12)
      .map((w, i) => `${CIRCLED[i]}${w}`)
      .join(' ')}。`,
    '备份：[REDACTED:mnemonic]。',
  ],
  [
    '"第1个：" numbering',
    `助记词如下\n${words(M12)
      .map((w, i) => `第${i + 1}个：${w}`)
      .join('\n')}\n请帮忙`,
    '助记词如下\n[REDACTED:mnemonic]\n请帮忙',
  ],
].map(([name, input, output]) => ({ name, input, output, kinds: { mnemonic: 1 } }));

const SEPARATOR_NEGATIVE_CASES: { name: string; input: string }[] = [
  {
    // Brackets and "#" that are not list numbers end a run: links and anchors are not lists.
    name: 'a table of contents of links',
    input:
      '- [Time to Live (TTL) Helpers](#time-to-live-ttl-helpers)\n- [Run if Function Helper](#run-if-function-helper)\n- [Table of Contents](#table-of-contents)',
  },
  {
    name: 'words joined by an equals sign or a colon',
    input: `${words(M12).slice(0, 6).join(' ')} = ${words(M12).slice(6).join(': ')}`,
  },
];

const MNEMONIC_NEGATIVE_CASES: { name: string; input: string }[] = [
  { name: 'an 11-word run', input: words(M12).slice(0, 11).join(' ') },
  {
    name: 'an 11-word run, numbered',
    input: words(M12)
      .slice(0, 11)
      .map((w, i) => `${i + 1}. ${w}`)
      .join('\n'),
  },
  {
    // 6 + 6 list words; a full stop between them is sentence punctuation, not list punctuation.
    name: 'a full stop ends a run',
    input: `${words(M12).slice(0, 6).join(' ')}. ${words(M12).slice(6).join(' ')}`,
  },
  {
    // A run tolerates one word off the list, not two in a row: 6 and 6 list words.
    name: 'two words off the list in a row break the run',
    input: [...words(M12).slice(0, 6), 'qwzx', 'zzqy', ...words(M12).slice(6)].join(' '),
  },
  {
    name: 'a three-digit number breaks the run',
    input: `${words(M12).slice(0, 6).join(' ')} 100 ${words(M12).slice(6).join(' ')}`,
  },
  {
    // "acts" is not "act": three-letter words match exactly, so this is 6 + 6 list words with two
    // other words in a row between them, not a run of 14.
    name: 'three-letter words must match exactly',
    input: [...words(M12).slice(0, 6), 'acts', 'acts', ...words(M12).slice(6)].join(' '),
  },
  {
    name: 'prose dense with list words',
    input:
      'I tried to withdraw my bitcoin to a new wallet but the network fee was too high and the order was cancelled',
  },
  {
    name: 'prose with commas between list words',
    input:
      'Please check the deposit, the transfer, the order history and the account balance again, nothing matches.',
  },
];

/** The BIP39 test vector "legal winner thank…" (no funds), with word `at` typed as `as`. */
const LEGAL = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const typed = (phrase: string, at: number, as: string): string =>
  words(phrase)
    .map((w, i) => (i === at ? as : w))
    .join(' ');
/** A typo inside the first four letters that makes no list word: "aerobic" → "aqerobic". */
const mistyped = (word: string): string => `${word[0]}q${word.slice(1)}`;
/** Two letters swapped inside the first four: "switch" → "swtich". */
const swapped = (word: string): string => word.slice(0, 2) + word[3] + word[2] + word.slice(4);
/** `phrase` with the words at `at` typed by `typo`. */
const withTypos = (phrase: string, at: number[], typo: (word: string) => string): string =>
  words(phrase)
    .map((w, i) => (at.includes(i) ? typo(w) : w))
    .join(' ');

/**
 * A run tolerates a word off the list, at most one in six words and never two in a row: a typo
 * inside the first four letters (which the 4-letter prefixes cannot absorb), a stray "and". The
 * whole run is redacted, the tolerated words with it; a tolerated word counts towards the 12
 * unless it is a function word ("and", "the"), so a 12-word phrase with one typo is found.
 */
const TOLERANCE_CASES: Case[] = [
  {
    // 11 list words and "wrth": the typo counts as the twelfth word.
    name: 'one typo inside the first four letters ("wrth" for "worth")',
    input: `My backup: ${LEGAL.replace('worth', 'wrth')}`,
    output: 'My backup: [REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // "and" is tolerated but not counted: there are 12 list words.
    name: 'a stray "and" before the last word',
    input: `${words(M12).slice(0, 11).join(', ')} and ${words(M12)[11]}`,
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // Before, words 1–10 stayed in clear: the run ended at the typo and restarted after it.
    name: '24 words with a typo at word 10, none left in clear',
    input: typed(M24, 9, mistyped(words(M24)[9])),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // A run may start or end with a near miss of a list word (one letter wrong, missing, extra or swapped).
    name: 'a typo in the first word',
    input: typed(LEGAL, 0, 'lgal'),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // "Thanks" is "thank" inflected: prose, which a phrase does not take in (it once did).
    name: 'a typo in the last word',
    input: `${typed(LEGAL, 11, 'yelow')}\nThanks`,
    output: '[REDACTED:mnemonic]\nThanks',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'capitalised words with a typo',
    input: typed(LEGAL, 6, 'wrth')
      .split(' ')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // Two tolerated words, six words apart: "and" after word 6, a typo at word 18.
    name: 'a 24-word phrase with a stray "and" and a typo',
    input: [
      ...words(M24).slice(0, 6),
      'and',
      ...words(typed(M24, 17, mistyped(words(M24)[17]))).slice(6),
    ].join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // Full stops end a run, except when every word of it is followed by one.
    name: 'words each followed by a full stop',
    input: `${words(M12).join('. ')}.`,
    output: '[REDACTED:mnemonic].',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'numbered words each followed by a full stop',
    input: words(M12)
      .map((w, i) => `${i + 1}. ${w}.`)
      .join('\n'),
    output: '[REDACTED:mnemonic].',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'a typo in a phrase of one-word sentences',
    input: `${words(typed(LEGAL, 6, 'wrth')).join('. ')}.`,
    output: '[REDACTED:mnemonic].',
    kinds: { mnemonic: 1 },
  },
  {
    // "the" and "and" are 3 words apart, too close for one run: the run restarts after "the", so
    // the phrase after the near miss is still found whole.
    name: 'a phrase right after list words with two stray words',
    input: ['apple', 'river', 'stone', 'the', 'cable', 'tower', 'and', ...words(M24).slice(0, 12)].join(' '),
    output: 'apple river stone the [REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  // Two typos in twelve words, wherever they are: near misses of list words may stand closer than
  // five words apart, even side by side, as long as no twelve words hold more than two of them.
  ...[
    [0, 1],
    [3, 5],
    [5, 6],
    [10, 11],
    [0, 11],
  ].map(([a, b]) => ({
    name: `12 words with typos at words ${a + 1} and ${b + 1} ("${mistyped(words(M12)[a])}", "${swapped(words(M12)[b])}")`,
    input: `Backup: ${words(withTypos(withTypos(M12, [a], mistyped), [b], swapped)).join(' ')}\nRegards`,
    output: 'Backup: [REDACTED:mnemonic]\nRegards',
    kinds: { mnemonic: 1 },
  })),
  {
    name: '24 words with two typos side by side, none left in clear',
    input: withTypos(M24, [7, 8], mistyped),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // The third typo is too close: the run restarts after the second, and the phrase found from
    // there reaches back over the list words and near misses before it. Before, words 1–7 stayed.
    name: '24 words with three typos within twelve words, none left in clear',
    input: withTypos(M24, [3, 6, 9], mistyped),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    // "sorry" is mistyped "sqorry", then "the": a word off the list that is no typo, too close.
    name: '24 words with a typo and a stray word too close to it, none left in clear',
    input: [...words(withTypos(M24, [13], mistyped)).slice(0, 16), 'the', ...words(M24).slice(16)].join(' '),
    output: '[REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
];

const TOLERANCE_NEGATIVE_CASES: { name: string; input: string }[] = [
  {
    // More than two words off the list in twelve: 9 list words, no phrase.
    name: '12 words with three typos',
    input: withTypos(M12, [2, 5, 8], swapped),
  },
  {
    // Function words are tolerated but not counted: 11 list words.
    name: '11 list words and "the"',
    input: [...words(M12).slice(0, 6), 'the', ...words(M12).slice(6, 11)].join(' '),
  },
  {
    // "Regards" is no near miss of a list word, so it does not end the run: 11 list words.
    name: '11 list words and a word after them that is no typo',
    input: `${words(M12).slice(0, 11).join(' ')}\nRegards`,
  },
  {
    // 12 list words, but "the" and "and" are 4 words apart: runs of 3 + 4 and 4 + 5.
    name: 'two tolerated words closer than six words',
    input: [...words(M12).slice(0, 3), 'the', ...words(M12).slice(3, 7), 'and', ...words(M12).slice(7)].join(
      ' ',
    ),
  },
  {
    // 12 words counted with "the", but "you", "can", "also", "have", "this", "other", "will",
    // "need", "more" are common English words: more than one in six of them is prose.
    name: 'prose joined by a function word, dense with common words',
    input: 'you can also have this wallet open, the other account will need more time',
  },
  {
    // Names written with capitals among lower-case words: prose, not a phrase written one way.
    name: 'prose joined by function words, with capitalised names',
    input:
      'My Binance wallet shows the Bitcoin deposit, the Ethereum transfer and the Solana order are pending',
  },
];

const KEY_CASES: Case[] = [
  {
    name: 'bare 64-hex',
    input: `here: ${HEX_KEY}`,
    output: 'here: [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: '0x-prefixed 64-hex',
    input: `0x${HEX_KEY} is from MetaMask`,
    output: '[REDACTED:private_key] is from MetaMask',
    kinds: { private_key: 1 },
  },
  {
    name: 'upper-case 64-hex',
    input: HEX_KEY.toUpperCase(),
    output: '[REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'labelled "private key"',
    input: `private key: ${HEX_KEY}`,
    output: 'private key: [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'labelled 私钥',
    input: `私钥：${HEX_KEY}`,
    output: '私钥：[REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'labelled priv',
    input: `priv=${HEX_KEY}`,
    output: 'priv=[REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    // "tx" is within the window, but so is "key": a key label wins over a transaction label.
    name: 'a key label wins over a transaction label',
    input: `tx failed, my key ${HEX_KEY}`,
    output: 'tx failed, my key [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    // "transaction" ends 40 characters before the hex: outside the 30-character window.
    name: 'a transaction label too far in front',
    input: `my transaction failed so I exported it: ${HEX_KEY}`,
    output: 'my transaction failed so I exported it: [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'a transaction label on another line',
    input: `TXID: ${TX_HASH}\n${HEX_KEY}`,
    output: `TXID: ${TX_HASH}\n[REDACTED:private_key]`,
    kinds: { private_key: 1 },
  },
  {
    name: 'a labelled Base58 (Solana) private key',
    input: `Phantom private key: ${SOLANA_KEY}`,
    output: 'Phantom private key: [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'WIF, uncompressed (5…)',
    input: `import ${WIF_UNCOMPRESSED} into Electrum`,
    output: 'import [REDACTED:wif] into Electrum',
    kinds: { wif: 1 },
  },
  { name: 'WIF, compressed (K…)', input: WIF_COMPRESSED_K, output: '[REDACTED:wif]', kinds: { wif: 1 } },
  {
    name: 'WIF, compressed (L…), in a sentence',
    input: `My paper wallet says ${WIF_COMPRESSED_L}.`,
    output: 'My paper wallet says [REDACTED:wif].',
    kinds: { wif: 1 },
  },
  {
    name: 'WIF with a typo (bad checksum) is still a key',
    input: WIF_TYPO,
    output: '[REDACTED:wif]',
    kinds: { wif: 1 },
  },
  {
    name: 'two WIF keys are two occurrences',
    input: `${WIF_COMPRESSED_K}\n${WIF_COMPRESSED_L}`,
    output: '[REDACTED:wif]\n[REDACTED:wif]',
    kinds: { wif: 2 },
  },
  {
    name: 'xprv',
    input: `xprv: ${XPRV}`,
    output: 'xprv: [REDACTED:extended_private_key]',
    kinds: { extended_private_key: 1 },
  },
  {
    name: 'tprv',
    input: TPRV,
    output: '[REDACTED:extended_private_key]',
    kinds: { extended_private_key: 1 },
  },
  {
    name: 'zprv, labelled private key',
    input: `private key ${ZPRV}`,
    output: 'private key [REDACTED:extended_private_key]',
    kinds: { extended_private_key: 1 },
  },
  {
    // The wide look-back for transaction wording stops at the end of a sentence.
    name: 'transaction wording in an earlier sentence',
    input: `Transaction failed. Here is what MetaMask showed me: ${HEX_KEY}`,
    output: 'Transaction failed. Here is what MetaMask showed me: [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    // Within the sentence, a key label near the hex still beats transaction wording further back.
    name: 'a key label near the hex, transaction wording further back',
    input: `The transaction to Binance was signed with this private key ${HEX_KEY}`,
    output: 'The transaction to Binance was signed with this private key [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
  {
    name: 'a labelled API secret that is 64 hex counts once, as api_secret',
    input: `api secret: ${HEX_KEY_2}`,
    output: 'api secret: [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
];

/** A key after a key label, written in groups: 16 groups of 4, two lines of 32. */
const groupsOf = (hex: string, size: number, separator: string): string =>
  hex.match(new RegExp(`.{${size}}`, 'g'))!.join(separator);
const GROUPED_KEY_CASES: Case[] = [
  {
    name: '16 groups of 4 after "private key:"',
    input: `private key: ${groupsOf(HEX_KEY, 4, ' ')}\nThanks`,
    output: 'private key: [REDACTED:private_key]\nThanks',
    kinds: { private_key: 1 },
  },
  {
    name: 'groups joined by hyphens after 私钥',
    input: `我的私钥是 ${groupsOf(HEX_KEY, 8, '-')}，请帮忙`,
    output: '我的私钥是 [REDACTED:private_key]，请帮忙',
    kinds: { private_key: 1 },
  },
  {
    name: 'two lines of 32 under "Private key:"',
    input: `Private key:\n${groupsOf(HEX_KEY, 32, '\n')}\nRegards`,
    output: 'Private key:\n[REDACTED:private_key]\nRegards',
    kinds: { private_key: 1 },
  },
  {
    name: 'two lines of 32 after "priv key", 0x in front',
    input: `priv key 0x${groupsOf(HEX_KEY, 32, '\n  ')}`,
    output: 'priv key [REDACTED:private_key]',
    kinds: { private_key: 1 },
  },
];

const NOT_GROUPED_KEYS: { name: string; input: string }[] = [
  // Not 64 digits, or not after a key label: kept.
  { name: 'a grouped TXID', input: `TXID: ${groupsOf(TX_HASH, 4, ' ')}` },
  {
    name: '15 groups of 4 after "private key:"',
    input: `private key: ${groupsOf(HEX_KEY.slice(4), 4, ' ')}`,
  },
  {
    name: '17 groups of 4 after "private key:"',
    input: `private key: ${groupsOf(HEX_KEY + 'abcd', 4, ' ')}`,
  },
];

const EVIDENCE: { name: string; input: string }[] = [
  { name: 'TXID:', input: `TXID: ${TX_HASH}` },
  { name: 'tx', input: `tx ${TX_HASH}` },
  { name: 'txn=', input: `txn=0x${TX_HASH}` },
  { name: 'hash:', input: `withdrawal of 0.015 BTC still pending, hash: ${TX_HASH}` },
  { name: 'Tx Hash', input: `Tx Hash 0x${TX_HASH} sent 1,250.50 USDT` },
  { name: 'txHash=', input: `txHash=${TX_HASH}` },
  { name: 'transaction id is', input: `The transaction id is 0x${TX_HASH} and it shows success.` },
  { name: 'Transaction hash: on the line before', input: `Transaction hash:\n0x${TX_HASH}` },
  {
    name: 'block hash',
    input: `block hash 00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054`,
  },
  { name: 'a list after one TXIDs label', input: `TXIDs: ${TX_HASH}, ${TX_HASH_2} and ${TX_HASH}` },
  { name: 'a label above one hash per line', input: `TXIDs:\n${TX_HASH}\n0x${TX_HASH_2}\n` },
  { name: '交易哈希：', input: `交易哈希：${TX_HASH}` },
  { name: '哈希', input: `哈希 ${TX_HASH} 显示成功` },
  { name: '交易ID', input: `交易ID: 0x${TX_HASH}` },
  { name: 'a list after 交易哈希', input: `交易哈希 ${TX_HASH} 和 ${TX_HASH_2} 都没有到账` },
  { name: 'etherscan /tx/', input: `https://etherscan.io/tx/0x${TX_HASH}` },
  { name: 'bscscan /tx/', input: `see https://bscscan.com/tx/0x${TX_HASH} please` },
  { name: 'tronscan #/transaction/', input: `https://tronscan.org/#/transaction/${TX_HASH}` },
  { name: 'mempool.space /tx/', input: `(https://mempool.space/tx/${TX_HASH})` },
  {
    name: 'blockchain.com explorer',
    input: `https://www.blockchain.com/explorer/transactions/btc/${TX_HASH}`,
  },
  { name: 'blockchair transaction', input: `https://blockchair.com/bitcoin/transaction/${TX_HASH}` },
  { name: 'explorer link without scheme', input: `etherscan.io/tx/0x${TX_HASH}` },
  { name: 'a 64-hex (Aptos/Sui) address', input: `deposit address 0x${TX_HASH}` },
  {
    // "transaction" is 49 characters before the hash, past the 30-character window but in the
    // same sentence on the same line (the 64-character window for transaction wording).
    name: 'transaction wording further back in the sentence',
    input: `Here is the transaction I sent (it is on BSC, from Binance): 0x${TX_HASH}`,
  },
  {
    name: '交易哈希 further back in the sentence',
    input: `这是我昨天在币安提现的那笔交易哈希（BSC 网络，金额 150 USDT，手续费 1 USDT）：0x${TX_HASH}`,
  },
];

const NOT_KEYS: { name: string; input: string }[] = [
  { name: 'ETH address (40 hex)', input: 'to 0xcf373f58038bf1e120117ac42d722b6d4bc60ca6' },
  { name: 'compressed public key (66 hex)', input: `pubkey 02${TX_HASH}` },
  { name: 'a 128-hex signature', input: `sig ${TX_HASH}${TX_HASH_2}` },
  { name: 'BTC legacy address', input: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' },
  { name: 'BTC P2SH address', input: '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy' },
  { name: 'BTC bech32 address', input: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
  { name: 'LTC address starting with L', input: 'LfMw8ubEQ4XcVGNbUMYvCB3GE16x5fdQBC' },
  { name: 'TRON address', input: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
  {
    name: 'Solana transaction signature',
    input: 'crA2q5m5YXeha3GXkrasVcLGVccHcHQ65YSmRt96QNMdb1pSJq5zYDxjHn6gYjJFfdCyyQyX5g96A9ZMFCjfX2iR',
  },
  { name: 'xpub (public)', input: `my xpub is ${XPUB}` },
  { name: 'WIF-shaped but too short', input: WIF_COMPRESSED_K.slice(0, 50) },
  { name: 'WIF-shaped with a 0 (not Base58)', input: `K${'0'.repeat(51)}` },
  {
    // "2fa" followed by digits is the start of a hash, not a 2FA label and its code.
    name: 'a transaction hash that starts with "2fa" and digits',
    input: `tx 2fa38291${TX_HASH.slice(8)}`,
  },
];

const LABELLED_CASES: Case[] = [
  {
    name: 'api secret:',
    input: `api secret: ${API_SECRET}`,
    output: 'api secret: [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'API Secret = (base64)',
    input: `API Secret = ${API_SECRET_B64}`,
    output: 'API Secret = [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'secretKey=',
    input: `apiKey=abc&secretKey=${API_SECRET}`,
    output: 'apiKey=abc&secretKey=[REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'api_secret followed by whitespace',
    input: `api_secret ${API_SECRET}`,
    output: 'api_secret [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'Secret Key is',
    input: `the Secret Key is ${API_SECRET} and it stopped working`,
    output: 'the Secret Key is [REDACTED:api_secret] and it stopped working',
    kinds: { api_secret: 1 },
  },
  {
    name: 'API密钥：',
    input: `API密钥：${API_SECRET}，谢谢`,
    output: 'API密钥：[REDACTED:api_secret]，谢谢',
    kinds: { api_secret: 1 },
  },
  {
    name: '密钥是',
    input: `密钥是${API_SECRET}`,
    output: '密钥是[REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'passphrase: (any token)',
    input: 'passphrase: bluebird',
    output: 'passphrase: [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'passphrase followed by whitespace, when it looks like a secret',
    input: 'OKX passphrase Tr@de2024 does not work',
    output: 'OKX passphrase [REDACTED:api_secret] does not work',
    kinds: { api_secret: 1 },
  },
  {
    name: 'password:',
    input: 'password: hunter2',
    output: 'password: [REDACTED:password]',
    kinds: { password: 1 },
  },
  {
    name: 'Password= in a query string',
    input: 'login?user=bob&Password=Abc123!&x=1',
    output: 'login?user=bob&Password=[REDACTED:password]',
    kinds: { password: 1 },
  },
  { name: 'pwd=', input: 'pwd=letmein', output: 'pwd=[REDACTED:password]', kinds: { password: 1 } },
  {
    name: 'pass:',
    input: 'user: bob pass: dragon',
    output: 'user: bob pass: [REDACTED:password]',
    kinds: { password: 1 },
  },
  {
    name: 'my password is …, when it looks like a password',
    input: 'my password is Summer2024! please reset 2FA',
    output: 'my password is [REDACTED:password] please reset 2FA',
    kinds: { password: 1 },
  },
  {
    name: '密码：',
    input: '登录密码：Abc123456，谢谢',
    output: '登录密码：[REDACTED:password]，谢谢',
    kinds: { password: 1 },
  },
  { name: '密码:', input: '密码:qwerty', output: '密码:[REDACTED:password]', kinds: { password: 1 } },
  {
    name: '密码是',
    input: '我的密码是abc123，请帮我登录',
    output: '我的密码是[REDACTED:password]，请帮我登录',
    kinds: { password: 1 },
  },
  {
    name: '2FA code:',
    input: '2FA code: 123456',
    output: '2FA code: [REDACTED:otp]',
    kinds: { otp: 1 },
  },
  {
    name: 'OTP',
    input: 'OTP 654321 expires soon',
    output: 'OTP [REDACTED:otp] expires soon',
    kinds: { otp: 1 },
  },
  {
    name: 'SMS code (4 digits)',
    input: 'SMS code: 5521',
    output: 'SMS code: [REDACTED:otp]',
    kinds: { otp: 1 },
  },
  {
    name: 'Google Authenticator code, split in two',
    input: 'Google Authenticator code is 123 456',
    output: 'Google Authenticator code is [REDACTED:otp]',
    kinds: { otp: 1 },
  },
  {
    name: '2FA (Google Authenticator) code',
    input: '2FA (Google Authenticator) code: 98765432.',
    output: '2FA (Google Authenticator) code: [REDACTED:otp].',
    kinds: { otp: 1 },
  },
  { name: '验证码：', input: '验证码：8841', output: '验证码：[REDACTED:otp]', kinds: { otp: 1 } },
  {
    name: '谷歌验证码',
    input: '谷歌验证码 654321，请尽快处理',
    output: '谷歌验证码 [REDACTED:otp]，请尽快处理',
    kinds: { otp: 1 },
  },
  {
    // A value runs to white space: the extension of a file name goes with it.
    name: 'a password in a file name',
    input: 'password: hunter2.txt',
    output: 'password: [REDACTED:password]',
    kinds: { password: 1 },
  },
  {
    name: 'password and 2FA code in one message',
    input: 'password: hunter2 and 2FA code: 123456',
    output: 'password: [REDACTED:password] and 2FA code: [REDACTED:otp]',
    kinds: { password: 1, otp: 1 },
  },
];

/**
 * Values of more than one word: inside quotes, to the closing quote; after a colon or equals sign,
 * the rest of the line (up to 100 characters and 8 words, no punctuation before its end); after a
 * label that ends its line, the next line.
 */
const LABELLED_LINE_CASES: Case[] = [
  {
    name: 'a password of several words',
    input: 'password: my dog rex 2019',
    output: 'password: [REDACTED:password]',
    kinds: { password: 1 },
  },
  {
    name: 'a passphrase of words',
    input: 'passphrase: correct horse battery staple\nThanks',
    output: 'passphrase: [REDACTED:api_secret]\nThanks',
    kinds: { api_secret: 1 },
  },
  {
    name: 'a password of several words ending a sentence',
    input: 'Login password: my dog rex 2019.\nPlease help',
    output: 'Login password: [REDACTED:password].\nPlease help',
    kinds: { password: 1 },
  },
  {
    name: 'a quoted password',
    input: 'password: "abc 123 xyz" but it fails',
    output: 'password: "[REDACTED:password]" but it fails',
    kinds: { password: 1 },
  },
  {
    name: 'a quoted password after "is"',
    input: "my password is 'abc 123 xyz', I think",
    output: "my password is '[REDACTED:password]', I think",
    kinds: { password: 1 },
  },
  {
    name: 'a password on the line after its label',
    input: 'password:\nHunter2!xyzzy\nThanks',
    output: 'password:\n[REDACTED:password]\nThanks',
    kinds: { password: 1 },
  },
  {
    name: 'an API secret on the line after its label',
    input: `API secret:\r\n  ${API_SECRET}`,
    output: 'API secret:\r\n  [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
  },
  {
    name: 'a password on the line after 密码：',
    input: '密码：\nHunter2!xyzzy',
    output: '密码：\n[REDACTED:password]',
    kinds: { password: 1 },
  },
  // The words after the label, up to the first function word ("and", "it", "还", …).
  {
    name: 'a password followed by prose',
    input: 'password: Hunter2 and it still fails',
    output: 'password: [REDACTED:password] and it still fails',
    kinds: { password: 1 },
  },
  {
    name: 'a password followed by Chinese prose',
    input: '密码：abc123 还是登录不了',
    output: '密码：[REDACTED:password] 还是登录不了',
    kinds: { password: 1 },
  },
  {
    name: 'a one-word value followed by prose (it may be the password)',
    input: 'Password: wrong every time I type it',
    output: 'Password: [REDACTED:password] every time I type it',
    kinds: { password: 1 },
  },
];

/** What a label does not take: a sentence after it, or a line of words after a label ending its line. */
const LABELLED_PROSE: { name: string; input: string }[] = [
  { name: 'a sentence after "Password:"', input: 'Password: I forgot it and the reset failed' },
  { name: 'a sentence starting with a function word', input: 'password: it is wrong every time I type it' },
  { name: 'a line of words after "My password:"', input: 'My password:\nI forgot it after the update' },
  { name: 'a line of words after "密码："', input: '密码：\n我 忘记了 密码' },
];

/** One-time codes after a dash, on the next line, in full-width digits, after "GA:". */
const OTP_CASES: Case[] = [
  ['a code on the line after "2FA:"', '2FA:\n482913', '2FA:\n[REDACTED:otp]'],
  [
    'a code after a dash',
    'Here is my Google Authenticator code — 482913',
    'Here is my Google Authenticator code — [REDACTED:otp]',
  ],
  ['full-width digits', '验证码：１２３４５６，请尽快', '验证码：[REDACTED:otp]，请尽快'],
  ['"GA:"', 'GA: 482913', 'GA: [REDACTED:otp]'],
].map(([name, input, output]) => ({ name, input, output, kinds: { otp: 1 } }));

const NOT_OTP: { name: string; input: string }[] = [
  { name: '"GA" without a colon (general availability)', input: 'Released to GA 482913 users' },
  { name: 'a number on the line after "2FA" without a colon', input: 'I lost my 2FA\n482913 is my UID' },
  { name: 'a date after a dash', input: 'Google Authenticator — 2024-05-17' },
];

const NOT_LABELLED_SECRETS: { name: string; input: string }[] = [
  { name: 'an API secret shorter than 16 characters', input: 'api secret: tooShort123' },
  { name: 'an API secret label in a question', input: 'Where can I find my API secret key again?' },
  {
    name: 'the public API key',
    input: 'API key: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
  },
  { name: 'passphrase in prose', input: 'I forgot the passphrase for my API key, and the reset failed.' },
  { name: 'password in prose', input: 'I forgot my password and the reset email never arrived.' },
  { name: 'password is + a plain word', input: 'My password is wrong, it says.' },
  { name: 'passed', input: 'I did not pass Level-2 KYC' },
  { name: '密码是 + Chinese', input: '密码是什么时候过期的？' },
  { name: '验证码 without a code', input: '验证码一直收不到，已经等了30分钟。' },
  { name: '2FA + a year', input: 'I enabled 2FA 2023 and it worked' },
  { name: '2FA + a date', input: '2FA enabled: 2024-05-17' },
  { name: 'SMS code + minutes', input: 'The SMS code expires after 5 minutes.' },
  { name: 'UID', input: 'UID 48392017, order 1876543210987654321' },
  { name: 'destination tag', input: 'XRP tag 123456 to rEb8TK3gBgk5auZkwc6sHnwrGVJH8DuaLh' },
];

/**
 * Whether a redacted 64-hex value is flagged as unlabelled, for the warning to say "if it was a
 * TXID, label it": only when nothing near it called it a key (nor a transaction, or it would be kept).
 */
const HEX_LABELS: { name: string; input: string; unlabelled: boolean }[] = [
  { name: 'a bare 64-hex value', input: `here: ${HEX_KEY}`, unlabelled: true },
  { name: 'a 0x value said to come from MetaMask', input: `0x${HEX_KEY} is from MetaMask`, unlabelled: true },
  { name: 'a value on the line after a TXID', input: `TXID: ${TX_HASH}\n${HEX_KEY}`, unlabelled: true },
  {
    name: 'transaction wording in an earlier sentence',
    input: `Transaction failed. Here is what MetaMask showed me: ${HEX_KEY}`,
    unlabelled: true,
  },
  { name: 'a labelled private key', input: `private key: ${HEX_KEY}`, unlabelled: false },
  { name: '"key" in front of it', input: `tx failed, my key ${HEX_KEY}`, unlabelled: false },
  { name: '"Private key:" on the line above', input: `Private key:\n${HEX_KEY}`, unlabelled: false },
  {
    name: '"exported" in front of it',
    input: `my transaction failed so I exported it: ${HEX_KEY}`,
    unlabelled: false,
  },
  { name: 'a 64-hex API secret (not a private key)', input: `api secret: ${HEX_KEY_2}`, unlabelled: false },
  { name: 'no 64-hex value', input: `password: hunter2 ${M12}`, unlabelled: false },
];

/**
 * Texts once redacted by mistake (an audit's), kept with the corpus: a terse list of list words in
 * inflected forms ("arrived", "closed", "happened" match list words by their first four letters),
 * and transaction hashes after Chinese transaction wording.
 */
const FALSE_POSITIVES: string[] = [
  'deposit arrived late, balance wrong, order history empty, support chat closed, email ignored, phone number changed, wallet address correct, network fee high, price slipped, margin call, liquidation happened, please refund',
  'Funds arrived? No. Balances updated, orders filled, transfers pending, margins called, prices jumped, wallets locked, addresses changed, networks congested, fees doubled, tickets closed, emails ignored.',
  `链上交易 ${TX_HASH}`,
  `链上记录 ${TX_HASH} 已确认`,
  `转账记录：0x${TX_HASH}，对方说没收到`,
  `充值 ${TX_HASH} 两个小时了还没到账`,
  `提现一直在处理中，${TX_HASH}`,
];

function expectCase(c: Case): void {
  const result = redactSecrets(c.input);
  expect(result.text).toBe(c.output);
  expect(result.kinds).toEqual(c.kinds);
  expect(result.redacted).toBe(true);
}

function expectUntouched(input: string): void {
  expect(redactSecrets(input)).toEqual({ text: input, kinds: {}, redacted: false, unlabelledHexKey: false });
}

describe('redactSecrets', () => {
  describe('BIP39 mnemonics', () => {
    it.each(MNEMONIC_CASES)('redacts $name', expectCase);
    it.each(MNEMONIC_NEGATIVE_CASES)('keeps $name', ({ input }) => expectUntouched(input));
    it.each(SEPARATOR_CASES)('redacts words separated by $name', expectCase);
    it.each(SEPARATOR_NEGATIVE_CASES)('keeps $name', ({ input }) => expectUntouched(input));
  });

  describe('BIP39 mnemonics with a word off the list', () => {
    it.each(TOLERANCE_CASES)('redacts $name', expectCase);
    it.each(TOLERANCE_NEGATIVE_CASES)('keeps $name', ({ input }) => expectUntouched(input));
  });

  describe('keys', () => {
    it.each(KEY_CASES)('redacts $name', expectCase);
    it.each(GROUPED_KEY_CASES)('redacts a key in $name', expectCase);
    it.each(NOT_GROUPED_KEYS)('keeps $name', ({ input }) => expectUntouched(input));
    it.each(EVIDENCE)('keeps a transaction hash labelled by $name', ({ input }) => expectUntouched(input));
    it.each(NOT_KEYS)('keeps $name', ({ input }) => expectUntouched(input));
  });

  describe('labelled secrets', () => {
    it.each(LABELLED_CASES)('redacts $name', expectCase);
    it.each(LABELLED_LINE_CASES)('redacts $name', expectCase);
    it.each(OTP_CASES)('redacts a one-time code: $name', expectCase);
    it.each(NOT_OTP)('keeps $name', ({ input }) => expectUntouched(input));
    it.each([
      // A colon or "!" before the end of the line: the value is its first word, as before.
      [
        'password: hunter2 and 2FA code: 123456',
        'password: [REDACTED:password] and 2FA code: [REDACTED:otp]',
      ],
      ['password: Summer2024! please reset it', 'password: [REDACTED:password] please reset it'],
      // More than 8 words: prose after the label, not a passphrase.
      [
        'Password: forgot it and the reset email never arrived this week',
        'Password: [REDACTED:password] it and the reset email never arrived this week',
      ],
      // No label on the line before: a line of its own is not a value.
      ['My password\nwas changed yesterday', 'My password\nwas changed yesterday'],
    ])('reads %j as one word of value', (input, output) => expect(redactSecrets(input).text).toBe(output));
    it.each(NOT_LABELLED_SECRETS)('keeps $name', ({ input }) => expectUntouched(input));
    it.each(LABELLED_PROSE)('keeps $name', ({ input }) => expectUntouched(input));
  });

  it('never lets a secret through, one at a time or all in one message', () => {
    const secrets = [
      M12,
      M15,
      M18,
      M24,
      LEGAL,
      HEX_KEY,
      HEX_KEY_2,
      WIF_UNCOMPRESSED,
      WIF_COMPRESSED_K,
      WIF_COMPRESSED_L,
      WIF_TYPO,
      XPRV,
      TPRV,
      ZPRV,
      SOLANA_KEY,
      API_SECRET,
      API_SECRET_B64,
      'hunter2',
      'Summer2024!',
      'Abc123456',
      '123456',
      '654321',
    ];
    const cases = [
      ...MNEMONIC_CASES,
      ...SEPARATOR_CASES,
      ...TOLERANCE_CASES,
      ...KEY_CASES,
      ...LABELLED_CASES,
    ];
    const everything = redactSecrets(cases.map((c) => c.input).join('\n\n'));
    for (const output of [...cases.map((c) => redactSecrets(c.input).text), everything.text]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
      // Not even a fragment of a phrase: no three consecutive words of any phrase remain.
      for (const phrase of [M12, M15, M18, M24]) {
        const w = words(phrase);
        for (let i = 0; i + 3 <= w.length; i++) expect(output).not.toContain(w.slice(i, i + 3).join(' '));
      }
    }
    expect(JSON.stringify(everything.kinds)).toMatch(/^\{("[a-z_]+":\d+,?)+\}$/);
  });

  it.each(HEX_LABELS)('flags $name as unlabelled: $unlabelled', ({ input, unlabelled }) => {
    const result = redactSecrets(input);
    expect(result.redacted).toBe(true);
    expect(result.unlabelledHexKey).toBe(unlabelled);
  });

  it('counts every occurrence once, by kind', () => {
    const result = redactSecrets(
      // The full stops keep the two phrases apart: a blank line alone would not (see "line breaks").
      [
        M12,
        M24,
        `private key: ${HEX_KEY}`,
        XPRV,
        WIF_COMPRESSED_K,
        'password: hunter2',
        '2FA code: 123456',
      ].join('.\n\n'),
    );
    expect(result.kinds).toEqual({
      mnemonic: 2,
      private_key: 1,
      extended_private_key: 1,
      wif: 1,
      password: 1,
      otp: 1,
    });
  });

  it('returns the same text, no kinds and redacted: false for an empty string', () => {
    expect(redactSecrets('')).toEqual({ text: '', kinds: {}, redacted: false, unlabelledHexKey: false });
  });
});

describe('redactFields', () => {
  it('redacts each value and merges the counts', () => {
    const result = redactFields({
      subject: `Lost funds, seed: ${M12}`,
      description: `private key ${HEX_KEY}\nseed again: ${M24}`,
      note: 'nothing secret here',
      locale: undefined,
    });
    expect(result.values).toEqual({
      subject: 'Lost funds, seed: [REDACTED:mnemonic]',
      description: 'private key [REDACTED:private_key]\nseed again: [REDACTED:mnemonic]',
      note: 'nothing secret here',
      locale: undefined,
    });
    expect(result.kinds).toEqual({ mnemonic: 2, private_key: 1 });
    expect(result.redacted).toBe(true);
  });

  it('finds a seed phrase split between the subject and the description, counted once', () => {
    const result = redactFields({
      subject: `Seed: ${words(M12).slice(0, 6).join(' ')}`,
      description: `${words(M12).slice(6).join(' ')}\nRegards`,
    });
    expect(result.values).toEqual({
      subject: 'Seed: [REDACTED:mnemonic]',
      description: '[REDACTED:mnemonic]\nRegards',
    });
    expect(result.kinds).toEqual({ mnemonic: 1 });
  });

  it('finds eleven words in one value and the twelfth in the next', () => {
    const result = redactFields({
      subject: words(M12).slice(0, 11).join(' '),
      description: words(M12)[11],
    });
    expect(result.values).toEqual({ subject: '[REDACTED:mnemonic]', description: '[REDACTED:mnemonic]' });
    expect(result.kinds).toEqual({ mnemonic: 1 });
  });

  it('does not reach from a phrase complete in one value over list words in the next', () => {
    // "Thanks", "for" and "help" would join the phrase in one text; here they are the description.
    const result = redactFields({ subject: M12, description: 'Thanks for any help' });
    expect(result.values).toEqual({ subject: '[REDACTED:mnemonic]', description: 'Thanks for any help' });
    expect(result.kinds).toEqual({ mnemonic: 1 });
  });

  it.each([
    ['Cannot change password:', 'the page says error 500'],
    ['Forgot password:', 'I tried the reset link twice'],
    ['Forgot password:', 'Hunter2xyz'],
    ['Lost my 2FA:', '482913 is my UID'],
    ['私钥：', 'see the attached screenshot'],
  ])('does not let a label ending the subject %j take the description %j', (subject, description) => {
    expect(redactFields({ subject, description })).toEqual({
      values: { subject, description },
      kinds: {},
      redacted: false,
      unlabelledHexKey: false,
    });
  });

  it('still finds a labelled value within the description, and a phrase across both', () => {
    const result = redactFields({
      subject: `Forgot password: ${words(M12).slice(0, 6).join(' ')}`,
      description: `${words(M12).slice(6).join(' ')}\n密码：\nHunter2xyz`,
    });
    expect(result.values).toEqual({
      subject: 'Forgot password: [REDACTED:mnemonic]',
      description: '[REDACTED:mnemonic]\n密码：\n[REDACTED:password]',
    });
    expect(result.kinds).toEqual({ mnemonic: 1, password: 1 });
  });

  it('flags an unlabelled 64-hex value in any of the values', () => {
    const result = redactFields({ subject: 'Lost funds', description: `my wallet backup:\n\n${HEX_KEY}` });
    expect(result.kinds).toEqual({ private_key: 1 });
    expect(result.unlabelledHexKey).toBe(true);
  });

  it('reports nothing when no value holds a secret', () => {
    const values = { subject: 'Withdrawal pending', description: `TXID: ${TX_HASH}` };
    expect(redactFields(values)).toEqual({ values, kinds: {}, redacted: false, unlabelledHexKey: false });
  });
});

describe('secretsInStructuredValues', () => {
  const refused = (kinds: string) => `looks like a secret (${kinds}); support never needs it — remove it`;

  it.each([
    ['a seed phrase in a free-text field', 'walletNote', `my seed ${M12}`, 'seed phrase'],
    ['a 64-hex key after a private-key label', 'walletNote', `private key: ${HEX_KEY}`, 'private key'],
    ['a 64-hex key after 私钥', 'memo', `私钥：${HEX_KEY}`, 'private key'],
    ['a 64-hex key in a field named privateKey', 'privateKey', HEX_KEY, 'private key'],
    ['a 2FA code in a memo', 'memo', '2FA: 482913', '2FA code'],
    ['a WIF key as an address', 'address', WIF_COMPRESSED_K, 'private key'],
    ['a password in an address', 'address', 'password:hunter2xyz', 'password'],
    ['a password in a network', 'network', 'pwd=Secr3t', 'password'],
    ['an extended key in a free-text field', 'walletNote', XPRV, 'private key'],
  ])('refuses %s, naming the field and the kind, never the value', (_, name, value, kinds) => {
    const errors = secretsInStructuredValues({ currency: 'USDT', amount: '1.5', [name]: value }, undefined);
    expect(errors).toEqual([{ field: `fields.${name}`, message: refused(kinds) }]);
    expect(JSON.stringify(errors)).not.toContain(value.slice(-8));
  });

  it('keeps ordinary values, integers, a 64-hex address and the txHash evidence', () => {
    const fields = {
      currency: 'USDT',
      network: 'TRC20',
      amount: '150.00',
      orderId: 'ORD-20240301-1234',
      uid: '48392017',
      kycLevel: 2,
      // Aptos and Sui addresses are 64 hex: the field's name labels it as an address.
      address: `0x${TX_HASH_2}`,
      txHash: TX_HASH,
      walletNote: 'withdrawal to my Ledger, pending since Monday',
    };
    expect(secretsInStructuredValues(fields, ['usdt', 'vip', 'trc20'])).toEqual([]);
  });

  it('keeps a bare 64-hex value in any field: evidence (a transaction hash), not a key', () => {
    const fields = {
      orderId: HEX_KEY,
      withdrawalId: `0x${HEX_KEY_2}`,
      referenceId: TX_HASH,
      memo: HEX_KEY_2,
      publicKey: TX_HASH_2,
      walletNote: `key ${HEX_KEY}`,
    };
    expect(secretsInStructuredValues(fields, [HEX_KEY])).toEqual([]);
  });

  it('refuses tags that hold a password or a 2FA code, once, on tags', () => {
    expect(secretsInStructuredValues({}, ['pwd=Hunter2xyz', '2fa:482913', 'usdt'])).toEqual([
      { field: 'tags', message: refused('password, 2FA code') },
    ]);
  });

  it('refuses a seed phrase given one word per tag', () => {
    expect(secretsInStructuredValues({}, words(M12))).toEqual([
      { field: 'tags', message: refused('seed phrase') },
    ]);
  });
});

describe('redaction time', () => {
  // Inputs built to make a label, a quote, a grouped key or a run of words read far ahead, again and
  // again: each is read once, so 200 KB takes milliseconds; anything quadratic would take minutes.
  const fill = (unit: string, size = 200_000): string =>
    unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  it.each([
    ['labels with a colon', fill('password: ')],
    ['labels with an opening quote', fill('pwd="')],
    ['labels ending their line', fill('API secret:\n')],
    ['key labels before hex groups', fill('private key: abcd ')],
    ['one-time code labels ending their line', fill('2FA:\n')],
    [
      'list words and typos',
      fill(
        `${words(M24)
          .map((w, i) => (i % 3 ? w : mistyped(w)))
          .join(' ')} `,
      ),
    ],
    ['list words between symbols', fill('abandon -> (1) • ')],
    ['inflected list words', fill('closed arrived ranges ')],
  ])('redacts 200 KB of %s in linear time', (_, text) => {
    const started = process.hrtime.bigint();
    redactSecrets(text);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2000);
  });
});

describe('SecretRedactor (a text in pieces)', () => {
  const load = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
  const everything = [
    ...[
      ...MNEMONIC_CASES,
      ...SEPARATOR_CASES,
      ...TOLERANCE_CASES,
      ...KEY_CASES,
      ...GROUPED_KEY_CASES,
      ...LABELLED_CASES,
      ...LABELLED_LINE_CASES,
      ...OTP_CASES,
    ].map((c) => c.input),
    ...[
      ...MNEMONIC_NEGATIVE_CASES,
      ...SEPARATOR_NEGATIVE_CASES,
      ...TOLERANCE_NEGATIVE_CASES,
      ...EVIDENCE,
      ...NOT_KEYS,
      ...NOT_GROUPED_KEYS,
      ...NOT_OTP,
    ].map((c) => c.input),
    ...NOT_LABELLED_SECRETS.map((c) => c.input),
    ...FALSE_POSITIVES,
    load('support-corpus.en.txt'),
    load('support-corpus.zh.txt'),
  ];

  /** Feeds `text` in pieces of 1 to `piece` characters (a fixed sequence), scanning every `chunk`. */
  function inPieces(text: string, chunk: number, piece: number) {
    const redactor = new SecretRedactor(chunk);
    let seed = chunk * 31 + piece;
    let out = '';
    for (let i = 0; i < text.length;) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const n = 1 + (seed % piece);
      out += redactor.write(text.slice(i, i + n));
      i += n;
    }
    out += redactor.end();
    return { text: out, kinds: redactor.kinds, unlabelledHexKey: redactor.unlabelledHexKey };
  }

  // Every case and the corpus as one text (a blank line between them) and one by one, scanned in
  // chunks of 1 character to 4 KB fed in pieces of 1 character to 5 KB: the result is always the
  // one for the whole text, so nothing is missed or changed where a chunk ends (a phrase split over
  // chunks one word per line, a label and its value, a list of hashes, a gap of blank lines).
  it.each([
    [1, 1],
    [7, 3],
    [64, 50],
    [600, 333],
    [4096, 5000],
  ])(
    'gives the result for the whole text, scanning every %i characters, pieces of up to %i',
    (chunk, piece) => {
      for (const text of [everything.join('\n\n'), ...everything]) {
        const whole = redactSecrets(text);
        expect(inPieces(text, chunk, piece)).toEqual({
          text: whole.text,
          kinds: whole.kinds,
          unlabelledHexKey: whole.unlabelledHexKey,
        });
      }
    },
  );

  it('finds a phrase one word per line cut by every chunk, and gives text back as it goes', () => {
    const ruler = `${'='.repeat(40)}\n`.repeat(200);
    const text = `${ruler}${words(M24).join('\n')}\n${ruler}`;
    const redactor = new SecretRedactor(16);
    const given = [...text].map((char) => redactor.write(char));
    expect(given.join('') + redactor.end()).toBe(`${ruler}[REDACTED:mnemonic]\n${ruler}`);
    // Most of the text came back before the end, not held until it.
    expect(given.join('').length).toBeGreaterThan(text.length / 2);
  });

  it('refuses text after the end', () => {
    const redactor = new SecretRedactor();
    redactor.end();
    expect(() => redactor.write('more')).toThrow();
  });
});

describe('support corpus (false positives)', () => {
  it.each(FALSE_POSITIVES)('keeps %j', (text) => expectUntouched(text));

  const load = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
  const items = (text: string): string[] => text.split(/\n[ \t]*\n/).filter((item) => item.trim() !== '');
  const english = load('support-corpus.en.txt');
  const chinese = load('support-corpus.zh.txt');

  it('holds at least 60 English and 40 Chinese items', () => {
    expect(items(english).length).toBeGreaterThanOrEqual(60);
    expect(items(chinese).length).toBeGreaterThanOrEqual(40);
  });

  it.each(items(english))('keeps English item %#', (item) => expectUntouched(item));
  it.each(items(chinese))('keeps Chinese item %#', (item) => expectUntouched(item));

  it.each([
    ['English', english],
    ['Chinese', chinese],
  ])('keeps the whole %s file byte for byte', (_, text) => {
    const result = redactSecrets(text);
    expect(Buffer.from(result.text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(result.redacted).toBe(false);
  });
});

describe('redactionNotice', () => {
  const NEVER_ASK_EN = /never ask for your password, seed phrase .*private keys, 2FA codes or API secrets/;
  const NEVER_ASK_ZH = '客服人员绝不会向您索取密码、助记词、私钥、二次验证（2FA）验证码或 API 密钥';

  it.each(['en', 'en-US', 'fr', 'de-DE', ''])('speaks English for locale "%s"', (locale) => {
    expect(redactionNotice(locale, ['password'])).toMatch(NEVER_ASK_EN);
  });

  it.each(['zh', 'zh-CN', 'zh-Hans', 'ZH-TW'])('speaks Simplified Chinese for locale "%s"', (locale) => {
    expect(redactionNotice(locale, ['password'])).toContain(NEVER_ASK_ZH);
  });

  it('names what was removed and advises on each kind, once, in a fixed order', () => {
    const notice = redactionNotice('en', ['otp', 'mnemonic', 'wif', 'password', 'api_secret', 'mnemonic']);
    expect(notice).toContain(
      'we removed the seed phrase, private key, password, API secret and 2FA code you sent from this ticket',
    );
    const advice = notice.split('\n').filter((line) => line.startsWith('- '));
    expect(advice).toHaveLength(4);
    expect(advice[0]).toMatch(/new wallet with a new seed phrase and move all funds/);
    expect(advice[1]).toMatch(/Change your password/);
    expect(advice[2]).toMatch(/Delete that API key/);
    expect(advice[3]).toMatch(/Reset your 2FA/);
  });

  it('advises only what applies', () => {
    const notice = redactionNotice('en', ['otp']);
    expect(notice).toContain('we removed the 2FA code you sent');
    expect(notice).toMatch(/Reset your 2FA/);
    expect(notice).not.toMatch(/new wallet|Change your password|Delete that API key/);
  });

  it('gives the wallet advice for any kind of key', () => {
    for (const kind of ['private_key', 'wif', 'extended_private_key'] as const) {
      expect(redactionNotice('en', [kind])).toMatch(/we removed the private key you sent[\s\S]*new wallet/);
    }
  });

  it('advises in Chinese', () => {
    const notice = redactionNotice('zh-CN', ['mnemonic', 'password', 'api_secret', 'otp']);
    expect(notice).toContain('删除了您发送的助记词、密码、API 密钥、二次验证（2FA）验证码');
    expect(notice).toContain('将全部资产转入新钱包');
    expect(notice).toContain('立即修改密码');
    expect(notice).toContain('删除该 API Key');
    expect(notice).toContain('重置二次验证');
  });

  it('says an unlabelled 64-hex value was hidden as a possible key, and how to send a TXID', () => {
    const notice = redactionNotice('en', ['private_key'], { unlabelledHexKey: true });
    expect(notice).toContain('not labelled as a transaction hash, so we hid it as a possible private key');
    expect(notice).toContain('enter it in the txHash field, or write "TXID:" in front of it');
    expect(notice).toMatch(NEVER_ASK_EN);
  });

  it('says so in Chinese', () => {
    const notice = redactionNotice('zh-CN', ['private_key'], { unlabelledHexKey: true });
    expect(notice).toContain('未标明是交易哈希，我们已将其作为可能的私钥隐藏');
    expect(notice).toContain('请填写在 txHash 字段中，或在其前面注明“TXID:”');
  });

  it.each([
    ['a labelled key', ['private_key'] as SecretKind[], {}],
    ['no private_key kind', ['password'] as SecretKind[], { unlabelledHexKey: true }],
  ])('does not mention TXIDs for %s', (_, kinds, details) => {
    expect(redactionNotice('en', kinds, details)).not.toContain('TXID');
    expect(redactionNotice('zh', kinds, details)).not.toContain('TXID');
  });

  it('still warns when no kind is given', () => {
    expect(redactionNotice('en', [])).toMatch(NEVER_ASK_EN);
    expect(redactionNotice('en', [])).not.toContain('- ');
  });
});
