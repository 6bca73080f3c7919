import type { FieldError } from '../common/errors/app-error';
import { SecretRedactor } from './secret-redactor';
import type { SecretKind } from './secret-span';

/**
 * Structured values (a ticket's `fields` and `tags`) are validated by form and never rewritten
 * (SPEC §12): one that holds a secret is refused instead, with a message that names the kind of
 * secret and never echoes the value. Only unambiguous secrets are refused (see REFUSED_KINDS):
 * fields hold evidence (order ids, withdrawal ids, references, memos, public keys, transaction
 * hashes), and a bare 64-hex value there is a hash far more often than a key.
 */

/** Evidence, never inspected: the `txHash` field is never redacted (SPEC §9). */
const EVIDENCE_FIELDS: ReadonlySet<string> = new Set(['txHash']);

/** What the customer is told was found, by kind, in the order of KINDS. */
const KIND_NAMES: Record<SecretKind, string> = {
  mnemonic: 'seed phrase',
  private_key: 'private key',
  wif: 'private key',
  extended_private_key: 'private key',
  password: 'password',
  api_secret: 'API secret',
  otp: '2FA code',
};
const KINDS = Object.keys(KIND_NAMES) as SecretKind[];

/** "orderId" → "order id", "wallet_note" → "wallet note": a field's name as a label in front of its value. */
function labelOf(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/**
 * What is refused in a structured value: seed phrases, WIF and extended private keys (their shape
 * says what they are), and passwords, one-time codes, API secrets and private keys after their
 * label. A 64-hex value is refused only after a private-key label ("private key: …", "私钥：…", or
 * a field named privateKey); bare, or after "key", "public key", "order id", it is evidence.
 */
const REFUSED_KINDS: ReadonlySet<SecretKind> = new Set([
  'mnemonic',
  'wif',
  'extended_private_key',
  'password',
  'api_secret',
  'otp',
]);

/**
 * The kinds of secret in a structured value. The field's name is read as a label in front of it,
 * as it would be in free text ("password", "privateKey" fields); see REFUSED_KINDS.
 */
export function secretKindsIn(value: string, fieldName?: string): SecretKind[] {
  const text = fieldName === undefined ? value : `${labelOf(fieldName)}: ${value}`;
  const redactor = new SecretRedactor();
  redactor.write(text);
  redactor.end();
  const { kinds } = redactor;
  return KINDS.filter(
    (kind) =>
      kinds[kind] && (REFUSED_KINDS.has(kind) || (kind === 'private_key' && redactor.labelledPrivateKey)),
  );
}

function refusal(field: string, kinds: SecretKind[]): FieldError {
  const names = [...new Set(kinds.map((kind) => KIND_NAMES[kind]))].join(', ');
  return { field, message: `looks like a secret (${names}); support never needs it — remove it` };
}

/**
 * One error per structured value that holds a secret: `fields.<name>` for fields (every string
 * field but txHash), `tags` for the tags, each on its own and all of them together (a seed phrase
 * given one word per tag).
 */
export function secretsInStructuredValues(
  fields: Record<string, string | number>,
  tags: readonly string[] | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || EVIDENCE_FIELDS.has(name)) continue;
    const kinds = secretKindsIn(value, name);
    if (kinds.length > 0) errors.push(refusal(`fields.${name}`, kinds));
  }
  if (tags && tags.length > 0) {
    const kinds = new Set([...tags, tags.join(' ')].flatMap((tag) => secretKindsIn(tag)));
    if (kinds.size > 0)
      errors.push(
        refusal(
          'tags',
          KINDS.filter((kind) => kinds.has(kind)),
        ),
      );
  }
  return errors;
}
