import type { SecretKind } from './secret-redactor';

/**
 * The public system message added to a ticket when something was redacted (SPEC §9): support never
 * asks for these, what was sent is gone, and what to do now for each kind that was found.
 */

/** What the customer is told was removed, and what they should do about it. */
type Item = 'seed' | 'key' | 'password' | 'api' | 'otp';
type Advice = 'wallet' | 'password' | 'api' | 'otp';

const ITEM_BY_KIND: Record<SecretKind, Item> = {
  mnemonic: 'seed',
  private_key: 'key',
  wif: 'key',
  extended_private_key: 'key',
  password: 'password',
  api_secret: 'api',
  otp: 'otp',
};

const ADVICE_BY_ITEM: Record<Item, Advice> = {
  seed: 'wallet',
  key: 'wallet',
  password: 'password',
  api: 'api',
  otp: 'otp',
};

/** Items and advice are listed in these orders, whatever order the kinds arrive in. */
const ITEM_ORDER: readonly Item[] = ['seed', 'key', 'password', 'api', 'otp'];
const ADVICE_ORDER: readonly Advice[] = ['wallet', 'password', 'api', 'otp'];

interface NoticeText {
  removed: (items: string[]) => string;
  removedUnknown: string;
  /** A 64-hex value was hidden only because it was not labelled as a transaction hash. */
  unlabelledHex: string;
  never: string;
  actNow: string;
  items: Record<Item, string>;
  advice: Record<Advice, string>;
}

const EN: NoticeText = {
  removed: (items) => `For your security, we removed the ${englishList(items)} you sent from this ticket.`,
  removedUnknown: 'For your security, we removed sensitive information you sent from this ticket.',
  unlabelledHex:
    'A 64-character hexadecimal value you sent was not labelled as a transaction hash, so we hid it ' +
    'as a possible private key. If it was a transaction ID, enter it in the txHash field, or write ' +
    '"TXID:" in front of it.',
  never:
    'Our support team will never ask for your password, seed phrase (recovery words), private keys, ' +
    '2FA codes or API secrets. Never share them with anyone, including people claiming to be support.',
  actNow: 'Because this information was shared, please act now:',
  items: {
    seed: 'seed phrase',
    key: 'private key',
    password: 'password',
    api: 'API secret',
    otp: '2FA code',
  },
  advice: {
    wallet:
      'Treat that wallet as compromised: create a new wallet with a new seed phrase and move all funds to it immediately.',
    password: 'Change your password now, and anywhere else you use the same password.',
    api: 'Delete that API key in your account settings and create a new one if you still need it.',
    otp: 'Reset your 2FA (authenticator) and check your account for logins or withdrawals you do not recognise.',
  },
};

const ZH: NoticeText = {
  removed: (items) => `为了您的资产安全，我们已从本工单中删除了您发送的${items.join('、')}。`,
  removedUnknown: '为了您的资产安全，我们已从本工单中删除了您发送的敏感信息。',
  unlabelledHex:
    '您发送的一个 64 位十六进制字符串未标明是交易哈希，我们已将其作为可能的私钥隐藏。' +
    '如果它是交易哈希（TXID），请填写在 txHash 字段中，或在其前面注明“TXID:”。',
  never:
    '客服人员绝不会向您索取密码、助记词、私钥、二次验证（2FA）验证码或 API 密钥。' +
    '请勿向任何人透露这些信息，包括自称客服的人员。',
  actNow: '由于这些信息已被发送，请立即：',
  items: {
    seed: '助记词',
    key: '私钥',
    password: '密码',
    api: 'API 密钥',
    otp: '二次验证（2FA）验证码',
  },
  advice: {
    wallet: '将该钱包视为已泄露：立即创建使用新助记词的新钱包，并将全部资产转入新钱包。',
    password: '立即修改密码；如在其他地方使用了相同密码，也请一并修改。',
    api: '在账户设置中删除该 API Key，如仍需使用请重新创建。',
    otp: '重置二次验证（身份验证器），并检查账户中是否有您不认识的登录或提币记录。',
  },
};

function englishList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What the notice says beyond the kinds. */
export interface NoticeDetails {
  /** A 64-hex value was redacted as a private key only because nothing labelled it (RedactionResult). */
  unlabelledHexKey?: boolean;
}

/** English by default; Simplified Chinese for any locale starting with "zh". */
export function redactionNotice(locale: string, kinds: SecretKind[], details: NoticeDetails = {}): string {
  const text = locale.trim().toLowerCase().startsWith('zh') ? ZH : EN;
  const found = new Set(kinds.map((kind) => ITEM_BY_KIND[kind]));
  const items = ITEM_ORDER.filter((item) => found.has(item));
  const advice = ADVICE_ORDER.filter((a) => items.some((item) => ADVICE_BY_ITEM[item] === a));
  const lines = [
    items.length > 0 ? text.removed(items.map((item) => text.items[item])) : text.removedUnknown,
    ...(details.unlabelledHexKey && kinds.includes('private_key') ? [text.unlabelledHex] : []),
    text.never,
  ];
  if (advice.length > 0) {
    lines.push('', text.actNow, ...advice.map((a) => `- ${text.advice[a]}`));
  }
  return lines.join('\n');
}
