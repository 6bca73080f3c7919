import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { DataSource } from 'typeorm';
import { openTicket, ticketBody } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

const MNEMONIC = entropyToMnemonic(
  new Uint8Array(16).map((_, i) => (i * 37 + 11) % 256),
  wordlist,
);
const PRIVATE_KEY = 'e9873d79c6d87dc0fb6a5778633389f4453213303da61f20bd67fc233aa33262';
const WIF = '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ';
const XPRV =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const PASSWORD = 'Hunter2!xyzzy';
const API_SECRET = 'Zk3nR8vQ2mX7pL4tW9yB6cH1jD5fG0aS';
const OTP = '847291';
const SECRETS = [
  MNEMONIC,
  MNEMONIC.split(' ').slice(0, 4).join(' '),
  PRIVATE_KEY,
  WIF,
  XPRV,
  PASSWORD,
  API_SECRET,
  OTP,
];

/** Every text, JSON and array value in every table of the schema, as text. */
async function databaseText(t: TestApp): Promise<string> {
  const dataSource = t.app.get(DataSource);
  const columns: { table_name: string; column_name: string }[] = await dataSource.query(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'json', 'ARRAY', 'character varying')`,
  );
  const parts: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows: { v: string | null }[] = await dataSource.query(
      `SELECT "${column_name}"::text AS v FROM "${table_name}" WHERE "${column_name}" IS NOT NULL`,
    );
    parts.push(...rows.map((row) => row.v ?? ''));
  }
  return parts.join('\n');
}

describe('secrets customers paste', () => {
  let t: TestApp;
  let customer: Session;
  let agent: Session;

  beforeAll(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'trace' });
    customer = await t.as('customer', { locale: 'zh-CN' });
    agent = await t.as('agent');
  });
  afterAll(() => t.close());

  it('never stores or logs a secret sent through any entry point', async () => {
    const ticket = (
      await customer
        .post(
          '/v1/tickets',
          ticketBody({
            subject: `My seed ${MNEMONIC}`,
            description: `Private key ${PRIVATE_KEY}\nWIF ${WIF}\npassword: ${PASSWORD}`,
          }),
        )
        .set('Idempotency-Key', 'secret-ticket')
        .expect(201)
    ).body;
    expect(ticket.subject).toContain('[REDACTED:mnemonic]');
    expect(ticket.description).toContain('[REDACTED:private_key]');
    expect(ticket.description).toContain('[REDACTED:wif]');
    expect(ticket.description).toContain('password: [REDACTED:password]');

    const url = `/v1/tickets/${ticket.id}`;
    const message = await customer
      .post(`${url}/messages`, { body: `xprv ${XPRV}, api secret: ${API_SECRET}, 2FA code: ${OTP}` })
      .set('Idempotency-Key', 'secret-message')
      .expect(201);
    expect(message.body.body).not.toContain(XPRV);
    await agent
      .post(`${url}/messages`, { body: `customer sent ${PRIVATE_KEY}`, visibility: 'internal' })
      .expect(201);
    // A rejected request must not echo the secret either, and stores nothing.
    const rejected = await customer
      .post('/v1/tickets', ticketBody({ description: `seed: ${MNEMONIC}`, fields: { amount: '-1' } }))
      .expect(400);
    expect(JSON.stringify(rejected.body)).not.toContain(MNEMONIC.split(' ').slice(0, 4).join(' '));
    // Searching for a secret never reaches the logs.
    await agent.get(`/v1/tickets?q=${encodeURIComponent(PASSWORD)}`).expect(200);

    const stored = await databaseText(t);
    const logs = t.logs.join('\n');
    for (const secret of SECRETS) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain(customer.token);
  });

  it('warns the customer in their language, tags the ticket and raises it to security', async () => {
    const ticket = await openTicket(customer, { description: `Please help, my words: ${MNEMONIC}` });
    const url = `/v1/tickets/${ticket.id}`;
    const read = (await agent.get(url).expect(200)).body;
    expect(read.tags).toContain('secret-exposed');
    expect(read.priority).toBe('high');
    const groups = (await agent.get('/v1/groups').expect(200)).body.data;
    expect(groups.find((group: { id: string }) => group.id === read.groupId).name).toBe('Security L1');

    const messages = (await customer.get(`${url}/messages`).expect(200)).body.data;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ authorRole: 'system', visibility: 'public' });
    expect(messages[0].body).toMatch(/[\u4e00-\u9fff]/);

    const events = (await customer.get(`${url}/events`).expect(200)).body.data;
    const redacted = events.find((event: { type: string }) => event.type === 'ticket.redacted');
    expect(redacted.data).toEqual({ kinds: { mnemonic: 1 } });
  });

  it('leaves ordinary evidence alone: tx hashes, addresses and amounts', async () => {
    const body =
      'TXID 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060, to TRX address TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7, amount 150.5 USDT';
    const ticket = await openTicket(customer, { description: body });
    expect(ticket.description).toBe(body);
    expect(ticket.tags).not.toContain('secret-exposed');
  });
});
