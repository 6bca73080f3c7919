import { type FieldDefinition, validateTicketFields } from '../../src/categories/category-fields';

// Field definitions copied from src/database/migrations/1763798400001-seed-desk.ts (the seeded catalogue).
const UID: FieldDefinition = { name: 'uid', type: 'string', required: false, pattern: '^[0-9]{1,20}$' };
const KYC_LEVEL: FieldDefinition = {
  name: 'kycLevel',
  type: 'integer',
  required: false,
  minimum: 0,
  maximum: 3,
};
const CURRENCY: FieldDefinition = {
  name: 'currency',
  type: 'string',
  required: true,
  pattern: '^[A-Z0-9]{2,10}$',
};
const NETWORK: FieldDefinition = {
  name: 'network',
  type: 'string',
  required: false,
  pattern: '^[A-Za-z0-9 ._-]{2,40}$',
};
const AMOUNT: FieldDefinition = {
  name: 'amount',
  type: 'decimal',
  required: false,
  pattern: '^(?=.*[1-9])[0-9]{1,30}(\\.[0-9]{1,18})?$',
};
const TX_HASH: FieldDefinition = {
  name: 'txHash',
  type: 'string',
  required: false,
  pattern: '^(0x)?[0-9a-fA-F]{64}$',
  transform: 'lower',
};
const ORDER_ID: FieldDefinition = {
  name: 'orderId',
  type: 'string',
  required: false,
  pattern: '^[A-Za-z0-9_-]{1,64}$',
};
const ADDRESS: FieldDefinition = {
  name: 'address',
  type: 'string',
  required: false,
  pattern: '^[A-Za-z0-9:_-]{10,128}$',
};
const TRADING_PAIR: FieldDefinition = {
  name: 'tradingPair',
  type: 'string',
  required: false,
  pattern: '^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$',
  transform: 'upper',
};

const DEPOSIT_WITHDRAWAL = {
  fields: [CURRENCY, NETWORK, AMOUNT, TX_HASH, ORDER_ID, ADDRESS],
  requireOneOf: [['txHash', 'orderId']],
};
const TRADING = { fields: [ORDER_ID, TRADING_PAIR], requireOneOf: [['orderId', 'tradingPair']] };
const KYC = { fields: [UID, KYC_LEVEL], requireOneOf: [] as string[][] };
const ACCOUNT = { fields: [UID], requireOneOf: [] as string[][] };

type Category = typeof DEPOSIT_WITHDRAWAL;
const validate = (category: Category, input: Record<string, unknown> | undefined) =>
  validateTicketFields(category.fields, category.requireOneOf, input);

// 64 hex digits (a public Bitcoin transaction hash), and the same in upper case.
const HEX64 = 'c698e5b69fda9df98732c6735393f8210c6ab8f91e9b0630c52847a48577bdc0';
const HEX64_UPPER = HEX64.toUpperCase();

/** A deposit ticket's other fields, valid, so each case below shows only the field it is about. */
const DEPOSIT_BASE = { currency: 'USDT', orderId: 'W-20250303-0001' };

describe('txHash', () => {
  type Row = [scenario: string, given: string, stored: string];
  it.each<Row>([
    ['64 hex without 0x', HEX64, HEX64],
    ['64 hex with 0x', `0x${HEX64}`, `0x${HEX64}`],
    ['upper-case is accepted and stored lower-case', HEX64_UPPER, HEX64],
    ['upper-case with 0x is lower-cased', `0x${HEX64_UPPER}`, `0x${HEX64}`],
    ['an upper-case 0X prefix is lower-cased too', `0X${HEX64}`, `0x${HEX64}`],
    ['surrounding spaces are trimmed', `  ${HEX64}\n`, HEX64],
  ])('%s', (_scenario, given, stored) => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', txHash: given });

    expect(result).toEqual({ values: { currency: 'USDT', txHash: stored }, errors: [] });
  });

  type Refused = [scenario: string, given: string];
  it.each<Refused>([
    // 63 and 65 hex digits
    ['63 hex', HEX64.slice(1)],
    ['65 hex', `${HEX64}0`],
    ['0x with 63 hex', `0x${HEX64.slice(1)}`],
    ['0x with 65 hex', `0x${HEX64}a`],
    ['a non-hex digit', `${HEX64.slice(1)}g`],
    ['a prefix other than 0x', `1x${HEX64}`],
  ])('refuses %s', (_scenario, given) => {
    const result = validate(DEPOSIT_WITHDRAWAL, { ...DEPOSIT_BASE, txHash: given });

    expect(result.errors).toEqual([{ field: 'fields.txHash', message: 'has an invalid format' }]);
  });
});

describe('amount', () => {
  it.each([['0.00150000'], ['150'], ['150.5'], ['0.000000000000000001']])(
    'accepts the positive decimal string %s as given',
    (amount) => {
      const result = validate(DEPOSIT_WITHDRAWAL, { ...DEPOSIT_BASE, amount });

      expect(result).toEqual({ values: { ...DEPOSIT_BASE, amount }, errors: [] });
    },
  );

  type Refused = [scenario: string, given: unknown, message: string];
  it.each<Refused>([
    ['zero', '0', 'must be a positive decimal string'],
    ['zero with decimals', '0.000', 'must be a positive decimal string'],
    ['negative', '-1', 'must be a positive decimal string'],
    ['exponent notation', '1e5', 'must be a positive decimal string'],
    ['a trailing dot', '1.', 'must be a positive decimal string'],
    ['no integer part', '.5', 'must be a positive decimal string'],
    ['a comma', '1,5', 'must be a positive decimal string'],
    // amounts are decimal strings, never floats (SPEC §2)
    ['a JSON number', 1.5, 'must be a decimal string'],
  ])('refuses %s', (_scenario, amount, message) => {
    const result = validate(DEPOSIT_WITHDRAWAL, { ...DEPOSIT_BASE, amount });

    expect(result.errors).toEqual([{ field: 'fields.amount', message }]);
  });
});

describe('tradingPair', () => {
  type Row = [scenario: string, given: string, stored: string];
  it.each<Row>([
    ['already upper-case', 'BTC-USDT', 'BTC-USDT'],
    ['lower-case is upper-cased', 'btc-usdt', 'BTC-USDT'],
    ['mixed case, trimmed and upper-cased', ' Eth-Btc ', 'ETH-BTC'],
  ])('%s', (_scenario, given, stored) => {
    expect(validate(TRADING, { tradingPair: given })).toEqual({
      values: { tradingPair: stored },
      errors: [],
    });
  });

  it.each([['BTCUSDT'], ['BTC/USDT'], ['B-USDT']])('refuses %s', (given) => {
    expect(validate(TRADING, { tradingPair: given }).errors).toEqual([
      { field: 'fields.tradingPair', message: 'has an invalid format' },
    ]);
  });
});

describe('currency', () => {
  type Row = [scenario: string, given: string, stored: string];
  it.each<Row>([
    ['upper-case letters', 'USDT', 'USDT'],
    ['letters and digits', '1INCH', '1INCH'],
    ['2 characters, the shortest', 'OP', 'OP'],
    ['10 characters, the longest', 'ABCDEFGHIJ', 'ABCDEFGHIJ'],
    ['surrounding spaces are trimmed', ' USDT ', 'USDT'],
  ])('accepts %s', (_scenario, given, stored) => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: given, orderId: 'W-1' });

    expect(result).toEqual({ values: { currency: stored, orderId: 'W-1' }, errors: [] });
  });

  type Refused = [scenario: string, given: string];
  it.each<Refused>([
    // not rewritten: no upper-casing for currency
    ['lower-case (trimmed, but not upper-cased)', ' usdt '],
    ['1 character', 'U'],
    ['11 characters', 'ABCDEFGHIJK'],
    ['a dash', 'US-DT'],
  ])('refuses %s', (_scenario, given) => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: given, orderId: 'W-1' });

    expect(result.errors).toEqual([{ field: 'fields.currency', message: 'has an invalid format' }]);
  });

  it('is required', () => {
    const result = validate(DEPOSIT_WITHDRAWAL, { orderId: 'W-1' });

    expect(result.errors).toEqual([{ field: 'fields.currency', message: 'is required' }]);
  });

  it('an empty string counts as missing', () => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: '', orderId: 'W-1' });

    expect(result.errors).toEqual([{ field: 'fields.currency', message: 'is required' }]);
  });
});

describe('kycLevel', () => {
  it.each([[0], [1], [2], [3]])('accepts %i', (level) => {
    expect(validate(KYC, { kycLevel: level })).toEqual({ values: { kycLevel: level }, errors: [] });
  });

  type Refused = [scenario: string, given: unknown, message: string];
  it.each<Refused>([
    ['4, above 3', 4, 'must be at most 3'],
    ['-1, below 0', -1, 'must be at least 0'],
    ['a fraction', 1.5, 'must be an integer'],
    ['a word', 'two', 'must be an integer'],
  ])('refuses %s', (_scenario, kycLevel, message) => {
    expect(validate(KYC, { kycLevel }).errors).toEqual([{ field: 'fields.kycLevel', message }]);
  });
});

describe('uid', () => {
  it('accepts a string of digits', () => {
    expect(validate(ACCOUNT, { uid: '10023456' })).toEqual({ values: { uid: '10023456' }, errors: [] });
  });

  it('refuses letters', () => {
    expect(validate(ACCOUNT, { uid: '1002a' }).errors).toEqual([
      { field: 'fields.uid', message: 'has an invalid format' },
    ]);
  });
});

describe('unknown fields', () => {
  it('are reported by path, fields.<name>', () => {
    const result = validate(ACCOUNT, { uid: '42', memo: 'hello' });

    expect(result).toEqual({
      values: { uid: '42' },
      errors: [{ field: 'fields.memo', message: 'is not a field of this category' }],
    });
  });

  it('a field of another category is unknown here', () => {
    expect(validate(ACCOUNT, { tradingPair: 'BTC-USDT' }).errors).toEqual([
      { field: 'fields.tradingPair', message: 'is not a field of this category' },
    ]);
  });
});

describe('requireOneOf [txHash, orderId]', () => {
  it('is satisfied by txHash alone', () => {
    expect(validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', txHash: HEX64 }).errors).toEqual([]);
  });

  it('is satisfied by orderId alone', () => {
    expect(validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', orderId: 'W-1' }).errors).toEqual([]);
  });

  it('is reported once, on fields.txHash, when neither is given', () => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', amount: '150' });

    expect(result.errors).toEqual([
      { field: 'fields.txHash', message: 'one of txHash, orderId is required' },
    ]);
  });

  it('is not reported when one is present but invalid: its own error is enough', () => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', txHash: HEX64.slice(1) });

    expect(result.errors).toEqual([{ field: 'fields.txHash', message: 'has an invalid format' }]);
  });

  it('an invalid orderId alone carries only its own error', () => {
    const result = validate(DEPOSIT_WITHDRAWAL, { currency: 'USDT', orderId: 'W 1' });

    expect(result.errors).toEqual([{ field: 'fields.orderId', message: 'has an invalid format' }]);
  });

  it('no fields at all: currency required and the group, one error each', () => {
    expect(validate(DEPOSIT_WITHDRAWAL, undefined).errors).toEqual([
      { field: 'fields.currency', message: 'is required' },
      { field: 'fields.txHash', message: 'one of txHash, orderId is required' },
    ]);
  });
});

describe('requireOneOf [orderId, tradingPair]', () => {
  it('is reported on its first member, fields.orderId, when neither is given', () => {
    expect(validate(TRADING, {}).errors).toEqual([
      { field: 'fields.orderId', message: 'one of orderId, tradingPair is required' },
    ]);
  });
});

describe('several problems at once', () => {
  it('lists every invalid field (SPEC §2)', () => {
    // unknown memo, lower-case currency, float amount, 63-hex txHash: four errors, no group error.
    const result = validate(DEPOSIT_WITHDRAWAL, {
      currency: 'usdt',
      amount: 1.5,
      txHash: HEX64.slice(1),
      memo: 'x',
    });

    expect(result.errors.map((error) => error.field).sort()).toEqual([
      'fields.amount',
      'fields.currency',
      'fields.memo',
      'fields.txHash',
    ]);
  });
});
