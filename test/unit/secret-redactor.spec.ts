import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { redactionNotice } from '../../src/redaction/redaction-notice';
import { redactFields, redactSecrets, SecretKind } from '../../src/redaction/secret-redactor';

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
    name: 'two phrases are two occurrences',
    input: `old wallet: ${M12}\nnew wallet: ${M15}`,
    output: 'old wallet: [REDACTED:mnemonic]\nnew wallet: [REDACTED:mnemonic]',
    kinds: { mnemonic: 2 },
  },
  {
    // "Hello", "seed" and "phrase" are list words too: nothing tells them apart from the phrase.
    name: 'list words right next to a phrase, which go with it',
    input: `Hello my seed phrase ${M12}`,
    output: 'Hello my [REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
  },
  {
    name: 'a password label in front of a phrase does not split it',
    input: `password: ${M12}`,
    output: 'password: [REDACTED:mnemonic]',
    kinds: { mnemonic: 1 },
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
    name: 'a word that is not on the list breaks the run',
    input: [...words(M12).slice(0, 6), 'the', ...words(M12).slice(6)].join(' '),
  },
  {
    name: 'a three-digit number breaks the run',
    input: `${words(M12).slice(0, 6).join(' ')} 100 ${words(M12).slice(6).join(' ')}`,
  },
  {
    // "acts" is not "act": three-letter words match exactly, so this is 11 list words and one other.
    name: 'three-letter words must match exactly',
    input: [...words(M12).slice(0, 11), 'acts'].join(' '),
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
    name: 'a labelled API secret that is 64 hex counts once, as api_secret',
    input: `api secret: ${HEX_KEY_2}`,
    output: 'api secret: [REDACTED:api_secret]',
    kinds: { api_secret: 1 },
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
    name: 'password and 2FA code in one message',
    input: 'password: hunter2 and 2FA code: 123456',
    output: 'password: [REDACTED:password] and 2FA code: [REDACTED:otp]',
    kinds: { password: 1, otp: 1 },
  },
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

function expectCase(c: Case): void {
  const result = redactSecrets(c.input);
  expect(result.text).toBe(c.output);
  expect(result.kinds).toEqual(c.kinds);
  expect(result.redacted).toBe(true);
}

function expectUntouched(input: string): void {
  expect(redactSecrets(input)).toEqual({ text: input, kinds: {}, redacted: false });
}

describe('redactSecrets', () => {
  describe('BIP39 mnemonics', () => {
    it.each(MNEMONIC_CASES)('redacts $name', expectCase);
    it.each(MNEMONIC_NEGATIVE_CASES)('keeps $name', ({ input }) => expectUntouched(input));
  });

  describe('keys', () => {
    it.each(KEY_CASES)('redacts $name', expectCase);
    it.each(EVIDENCE)('keeps a transaction hash labelled by $name', ({ input }) => expectUntouched(input));
    it.each(NOT_KEYS)('keeps $name', ({ input }) => expectUntouched(input));
  });

  describe('labelled secrets', () => {
    it.each(LABELLED_CASES)('redacts $name', expectCase);
    it.each(NOT_LABELLED_SECRETS)('keeps $name', ({ input }) => expectUntouched(input));
  });

  it('never lets a secret through, one at a time or all in one message', () => {
    const secrets = [
      M12,
      M15,
      M18,
      M24,
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
    const cases = [...MNEMONIC_CASES, ...KEY_CASES, ...LABELLED_CASES];
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
    expect(redactSecrets('')).toEqual({ text: '', kinds: {}, redacted: false });
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

  it('reports nothing when no value holds a secret', () => {
    const values = { subject: 'Withdrawal pending', description: `TXID: ${TX_HASH}` };
    expect(redactFields(values)).toEqual({ values, kinds: {}, redacted: false });
  });
});

describe('support corpus (false positives)', () => {
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

  it('still warns when no kind is given', () => {
    expect(redactionNotice('en', [])).toMatch(NEVER_ASK_EN);
    expect(redactionNotice('en', [])).not.toContain('- ');
  });
});
