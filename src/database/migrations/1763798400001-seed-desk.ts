import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Field definitions as the catalogue serves them; `transform` is applied to values before storing. */
const UID = { name: 'uid', type: 'string', required: false, pattern: '^[0-9]{1,20}$' };
const KYC_LEVEL = { name: 'kycLevel', type: 'integer', required: false, minimum: 0, maximum: 3 };
const CURRENCY = { name: 'currency', type: 'string', required: true, pattern: '^[A-Z0-9]{2,10}$' };
const NETWORK = { name: 'network', type: 'string', required: false, pattern: '^[A-Za-z0-9 ._-]{2,40}$' };
const AMOUNT = {
  name: 'amount',
  type: 'decimal',
  required: false,
  pattern: '^(?=.*[1-9])[0-9]{1,30}(\\.[0-9]{1,18})?$',
};
const TX_HASH = {
  name: 'txHash',
  type: 'string',
  required: false,
  pattern: '^(0x)?[0-9a-fA-F]{64}$',
  transform: 'lower',
};
const ORDER_ID = { name: 'orderId', type: 'string', required: false, pattern: '^[A-Za-z0-9_-]{1,64}$' };
const ADDRESS = { name: 'address', type: 'string', required: false, pattern: '^[A-Za-z0-9:_-]{10,128}$' };
const TRADING_PAIR = {
  name: 'tradingPair',
  type: 'string',
  required: false,
  pattern: '^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$',
  transform: 'upper',
};

const CATALOGUE = [
  {
    key: 'account',
    name: 'Account',
    subcategories: [
      ['registration', 'Registration'],
      ['login', 'Login'],
      ['password_reset', 'Password reset'],
      ['account_recovery', 'Account recovery'],
      ['vip_level', 'VIP level'],
      ['profile', 'Profile'],
    ],
    fields: [UID],
    requireOneOf: [],
  },
  {
    key: 'kyc',
    name: 'KYC',
    subcategories: [
      ['verification_status', 'Verification status'],
      ['document_rejected', 'Document rejected'],
      ['verification_level', 'Verification level'],
      ['address_proof', 'Proof of address'],
    ],
    fields: [UID, KYC_LEVEL],
    requireOneOf: [],
  },
  {
    key: 'deposit_withdrawal',
    name: 'Deposits & withdrawals',
    subcategories: [
      ['deposit_not_credited', 'Deposit not credited'],
      ['withdrawal_delayed', 'Withdrawal delayed'],
      ['withdrawal_failed', 'Withdrawal failed'],
      ['fees', 'Fees'],
      ['address_confirmation', 'Address confirmation'],
      ['fiat', 'Fiat'],
    ],
    fields: [CURRENCY, NETWORK, AMOUNT, TX_HASH, ORDER_ID, ADDRESS],
    requireOneOf: [['txHash', 'orderId']],
  },
  {
    key: 'trading',
    name: 'Trading',
    subcategories: [
      ['spot', 'Spot'],
      ['futures', 'Futures'],
      ['margin', 'Margin'],
      ['fiat_p2p', 'Fiat & P2P'],
      ['fees', 'Fees'],
      ['stop_orders', 'Stop orders'],
      ['order_anomaly', 'Order anomaly'],
      ['api', 'API'],
    ],
    fields: [ORDER_ID, TRADING_PAIR],
    requireOneOf: [['orderId', 'tradingPair']],
  },
  {
    key: 'security',
    name: 'Security',
    subcategories: [
      ['account_compromised', 'Account compromised'],
      ['unusual_login', 'Unusual login'],
      ['two_factor', 'Two-factor authentication'],
      ['phishing_report', 'Phishing report'],
      ['anti_phishing_code', 'Anti-phishing code'],
      ['freeze_request', 'Freeze request'],
    ],
    fields: [UID],
    requireOneOf: [],
  },
];

const ALL = CATALOGUE.map((category) => category.key);
const GROUPS: [string, number, string[]][] = [
  ['Account L1', 1, ['account']],
  ['KYC L1', 1, ['kyc']],
  ['Deposit & Withdrawal L1', 1, ['deposit_withdrawal']],
  ['Trading L1', 1, ['trading']],
  ['Security L1', 1, ['security']],
  ['Specialists L2', 2, ALL],
  ['Supervisors L3', 3, ALL],
];

const HOUR = 60;
const POLICIES: [string, object, number, number, number][] = [
  ['VIP', { minVip: 3 }, 1 * HOUR, 4 * HOUR, 24 * HOUR],
  ['Urgent', { priorities: ['urgent'] }, 1 * HOUR, 2 * HOUR, 8 * HOUR],
  ['High', { priorities: ['high'] }, 4 * HOUR, 8 * HOUR, 24 * HOUR],
  ['Normal', { priorities: ['normal'] }, 24 * HOUR, 24 * HOUR, 48 * HOUR],
  ['Low', { priorities: ['low'] }, 48 * HOUR, 48 * HOUR, 120 * HOUR],
];

/** The default catalogue, groups, the 24x7 calendar and the five SLA policies of SPEC §4–§6. */
export class SeedDesk1763798400001 implements MigrationInterface {
  name = 'SeedDesk1763798400001';

  async up(q: QueryRunner): Promise<void> {
    for (const [position, category] of CATALOGUE.entries()) {
      await q.query(
        `INSERT INTO categories (key, name, position, fields, require_one_of) VALUES ($1, $2, $3, $4, $5)`,
        [
          category.key,
          category.name,
          position,
          JSON.stringify(category.fields),
          JSON.stringify(category.requireOneOf),
        ],
      );
      for (const [subPosition, [key, name]] of category.subcategories.entries()) {
        await q.query(
          `INSERT INTO subcategories (category_key, key, name, position) VALUES ($1, $2, $3, $4)`,
          [category.key, key, name, subPosition],
        );
      }
    }
    for (const [name, tier, categories] of GROUPS) {
      await q.query(`INSERT INTO groups (name, tier, categories) VALUES ($1, $2, $3)`, [
        name,
        tier,
        categories,
      ]);
    }
    const [calendar] = await q.query(
      `INSERT INTO calendars (name, type, timezone) VALUES ('24x7', '24x7', 'UTC') RETURNING id`,
    );
    for (const [position, [name, conditions, first, next, resolution]] of POLICIES.entries()) {
      await q.query(
        `INSERT INTO sla_policies (name, position, conditions, first_response_minutes, next_response_minutes,
           resolution_minutes, calendar_id, at_risk_percent, max_level)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 80, 3)`,
        [name, position + 1, JSON.stringify(conditions), first, next, resolution, calendar.id],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM sla_policies WHERE name = ANY($1)`, [POLICIES.map(([name]) => name)]);
    await q.query(`DELETE FROM calendars WHERE name = '24x7'`);
    await q.query(`DELETE FROM groups WHERE name = ANY($1)`, [GROUPS.map(([name]) => name)]);
    await q.query(`DELETE FROM categories WHERE key = ANY($1)`, [ALL]);
  }
}
