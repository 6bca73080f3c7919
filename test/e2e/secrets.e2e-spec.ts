import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { DataSource } from 'typeorm';
import { openTicket, ticketBody } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

const phrase = (seed: number) =>
  entropyToMnemonic(
    new Uint8Array(16).map((_, i) => (i * 37 + seed) % 256),
    wordlist,
  );
const MNEMONIC = phrase(11);
const PRIVATE_KEY = 'e9873d79c6d87dc0fb6a5778633389f4453213303da61f20bd67fc233aa33262';
const WIF = '5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ';
const XPRV =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const PASSWORD = 'Hunter2!xyzzy';
const API_SECRET = 'Zk3nR8vQ2mX7pL4tW9yB6cH1jD5fG0aS';
const OTP = '847291';
// Through the other entry points: a text attachment, its name, a satisfaction comment, a rejected request.
const FILE_MNEMONIC = phrase(29);
const FILE_KEY = '3a1f5c8e0b7d2946f1e8c3b5a7d9e0f2c4b6a8d0e2f4a6c8b0d2e4f6a8c0b2d4';
const FILENAME_PASSWORD = 'Tr0ub4dor&3x';
const COMMENT_PASSWORD = 'C0rrect-H0rse-9';
const REJECTED_MNEMONIC = phrase(53);
// In structured fields and tags, which are refused rather than rewritten.
const FIELD_MNEMONIC = phrase(71);
const FIELD_KEY = '7c1e4f2a9b8d3c6e5f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6';
const FIELD_WIF = 'KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn';
const FIELD_PASSWORD = 'Sw0rdf1sh_42';
const TAG_PASSWORD = 'Hunter2xyzTag';
const TAG_OTP = '482913';
// Six words in the subject, six in the description.
const SPLIT_MNEMONIC = phrase(97);

const fourWords = (words: string) => words.split(' ').slice(0, 4).join(' ');
const SECRETS = [
  MNEMONIC,
  fourWords(MNEMONIC),
  PRIVATE_KEY,
  WIF,
  XPRV,
  PASSWORD,
  API_SECRET,
  OTP,
  FILE_MNEMONIC,
  fourWords(FILE_MNEMONIC),
  FILE_KEY,
  FILENAME_PASSWORD,
  COMMENT_PASSWORD,
  REJECTED_MNEMONIC,
  fourWords(REJECTED_MNEMONIC),
  FIELD_MNEMONIC,
  fourWords(FIELD_MNEMONIC),
  FIELD_KEY,
  FIELD_WIF,
  FIELD_PASSWORD,
  TAG_PASSWORD,
  `2fa:${TAG_OTP}`,
  ...[0, 3, 6, 9].map((from) =>
    SPLIT_MNEMONIC.split(' ')
      .slice(from, from + 3)
      .join(' '),
  ),
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

/** A webhook endpoint on loopback that accepts everything and keeps the bodies. */
class Receiver {
  readonly bodies: string[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Polls (the webhook worker runs on its own schedule) until `check` passes or the time is up. */
async function eventually(check: () => void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** An attachment's stored bytes, as the customer downloads them. */
function downloadBytes(session: Session, id: string) {
  return session
    .get(`/v1/attachments/${id}/content`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
}

describe('secrets customers paste', () => {
  let t: TestApp;
  let customer: Session;
  let agent: Session;
  const receiver = new Receiver();
  let webhookId: string;

  beforeAll(async () => {
    // The webhook makes every change write its outbox rows (webhook_events), which the scan covers.
    t = await TestApp.start({
      LOG_LEVEL: 'trace',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_DELIVERY_INTERVAL_MS: '25',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_RETRY_MAX_MS: '200',
    });
    customer = await t.as('customer', { locale: 'zh-CN' });
    agent = await t.as('agent');
    const admin = await t.as('admin');
    const url = await receiver.start();
    const events = ['ticket.created', 'ticket.updated', 'ticket.message_created', 'ticket.solved'];
    const webhook = await admin
      .post('/v1/webhooks', { url, events, secret: 'whsec_secrets_suite_0123456789' })
      .expect(201);
    webhookId = webhook.body.id;
  });
  afterAll(async () => {
    // On a shared PostgreSQL no other suite may see this endpoint.
    await t.app.get(DataSource).query(`DELETE FROM webhooks WHERE id = $1`, [webhookId]);
    await t.close();
    await receiver.stop();
  });

  /** No secret in the database, the logs or what webhooks received. */
  async function expectNoSecretAnywhere(): Promise<void> {
    const stored = await databaseText(t);
    const logs = t.logs.join('\n');
    const delivered = receiver.bodies.join('\n');
    for (const secret of SECRETS) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(delivered).not.toContain(secret);
    }
  }

  function uploadText(session: Session, ticketId: string, content: string, filename: string) {
    return t
      .http()
      .post(`/v1/tickets/${ticketId}/attachments`)
      .set('Authorization', `Bearer ${session.token}`)
      .attach('file', Buffer.from(content, 'utf8'), { filename, contentType: 'text/plain' });
  }

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
    expect(JSON.stringify(rejected.body)).not.toContain(fourWords(MNEMONIC));
    // Searching for a secret never reaches the logs.
    await agent.get(`/v1/tickets?q=${encodeURIComponent(PASSWORD)}`).expect(200);

    await eventually(() => expect(receiver.bodies.some((body) => body.includes(ticket.id))).toBe(true));
    await expectNoSecretAnywhere();
  });

  it('refuses a secret in a structured field or a tag, naming it, echoing and storing nothing', async () => {
    const admin = await t.as('admin');
    const category = `secrets_${Date.now().toString(36)}`;
    await admin
      .post('/v1/categories', {
        key: category,
        name: 'Wallet notes',
        fields: [{ name: 'walletNote', type: 'string', required: false }],
        subcategories: [{ key: 'other', name: 'Other' }],
      })
      .expect(201);
    const fieldsOf = (res: { body: { errors: { field: string; message: string }[] } }) =>
      Object.fromEntries(res.body.errors.map((error) => [error.field, error.message]));

    const note = await customer
      .post('/v1/tickets', {
        category,
        subcategory: 'other',
        subject: 'Wallet help',
        description: 'See the note',
        fields: { walletNote: `my seed ${FIELD_MNEMONIC}` },
      })
      .expect(400);
    expect(fieldsOf(note)).toEqual({
      'fields.walletNote': 'looks like a secret (seed phrase); support never needs it — remove it',
    });

    // A 64-hex value is refused only after a private-key label inside it.
    const labelledKey = await customer
      .post('/v1/tickets', {
        category,
        subcategory: 'other',
        subject: 'Wallet help',
        description: 'See the note',
        fields: { walletNote: `private key: ${FIELD_KEY}` },
      })
      .expect(400);
    expect(fieldsOf(labelledKey)).toEqual({
      'fields.walletNote': 'looks like a secret (private key); support never needs it — remove it',
    });

    const keyed = await customer
      .post(
        '/v1/tickets',
        ticketBody({
          fields: { currency: 'BTC', amount: '1', orderId: FIELD_WIF, address: `password:${FIELD_PASSWORD}` },
          tags: [`pwd=${TAG_PASSWORD}`, `2fa:${TAG_OTP}`],
        }),
      )
      .set('Idempotency-Key', 'secret-fields')
      .expect(400);
    expect(fieldsOf(keyed)).toEqual({
      'fields.orderId': 'looks like a secret (private key); support never needs it — remove it',
      'fields.address': 'looks like a secret (password); support never needs it — remove it',
      tags: 'looks like a secret (password, 2FA code); support never needs it — remove it',
    });
    for (const res of [note, labelledKey, keyed]) {
      for (const secret of SECRETS) expect(JSON.stringify(res.body)).not.toContain(secret);
    }

    // A 64-hex address (Aptos, Sui) is an address, and txHash is evidence: both are kept as given.
    const aptos = `0x${'5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060'}`;
    const kept = await customer
      .post(
        '/v1/tickets',
        ticketBody({ fields: { currency: 'APT', amount: '3', txHash: aptos, address: aptos } }),
      )
      .expect(201);
    expect(kept.body.fields).toMatchObject({ txHash: aptos, address: aptos });
    expect(kept.body.tags).not.toContain('secret-exposed');

    await admin.delete(`/v1/categories/${category}`).expect(204);
    await expectNoSecretAnywhere();
  });

  it('accepts a bare 64-hex value in structured fields: a transaction hash is evidence, not a key', async () => {
    const admin = await t.as('admin');
    const category = `evidence_${Date.now().toString(36)}`;
    const names = ['withdrawalId', 'referenceId', 'memo', 'publicKey'];
    await admin
      .post('/v1/categories', {
        key: category,
        name: 'Withdrawal references',
        fields: names.map((name) => ({ name, type: 'string', required: false })),
        subcategories: [{ key: 'other', name: 'Other' }],
      })
      .expect(201);
    const hex = (seed: number) =>
      Array.from({ length: 64 }, (_, i) => ((i * 7 + seed * 13) % 16).toString(16)).join('');
    const fields = Object.fromEntries(names.map((name, i) => [name, i === 1 ? `0x${hex(i)}` : hex(i)]));
    const referenced = await customer
      .post('/v1/tickets', {
        category,
        subcategory: 'other',
        subject: 'Withdrawal missing',
        description: 'The references are in the fields',
        fields,
      })
      .expect(201);
    expect(referenced.body.fields).toMatchObject(fields);
    expect(referenced.body.tags).not.toContain('secret-exposed');

    // orderId allows 64 hex by its pattern: customers paste the transaction hash there.
    const order = await customer
      .post('/v1/tickets', ticketBody({ fields: { currency: 'ETH', amount: '0.5', orderId: hex(9) } }))
      .expect(201);
    expect(order.body.fields).toMatchObject({ orderId: hex(9) });
    expect(order.body.tags).not.toContain('secret-exposed');
  });

  it('redacts a text attachment, its name, a satisfaction comment and a too-long subject', async () => {
    const ticket = await openTicket(customer);
    const url = `/v1/tickets/${ticket.id}`;

    // A text file with a seed phrase (one word per line, as copied from a wallet) and a bare key.
    const content = `Backup of my wallet:\n${FILE_MNEMONIC.split(' ').join('\n')}\n\n--\n${FILE_KEY}\n`;
    const upload = await uploadText(
      customer,
      ticket.id,
      content,
      `password: ${FILENAME_PASSWORD}.txt`,
    ).expect(201);
    expect(upload.body.filename).not.toContain(FILENAME_PASSWORD);
    expect(upload.body.filename).toMatch(/REDACTED.password.*\.txt$/);
    // A name that grows as it is redacted still fits in 255 bytes.
    const long = await uploadText(customer, ticket.id, 'notes\n', `${'pwd=a '.repeat(50)}notes.txt`).expect(
      201,
    );
    expect(Buffer.byteLength(long.body.filename)).toBeLessThanOrEqual(255);
    expect(long.body.filename).toMatch(/^pwd=\[REDACTED.password\] .*\.txt$/);
    const download = await downloadBytes(customer, upload.body.id);
    const stored = (download.body as Buffer).toString('utf8');
    expect(stored).toBe('Backup of my wallet:\n[REDACTED:mnemonic]\n\n--\n[REDACTED:private_key]\n');
    const events = (await customer.get(`${url}/events?limit=100`).expect(200)).body.data;
    const redacted = events.find((event: { type: string }) => event.type === 'ticket.redacted');
    expect(redacted.data).toEqual({ kinds: { mnemonic: 1, private_key: 1, password: 1 } });
    const added = events.find((event: { type: string }) => event.type === 'attachment.added');
    expect(added.data.filename).toBe(upload.body.filename);
    // The key was not labelled: the warning (Chinese, the customer's locale) says how to send a TXID.
    const messages = (await customer.get(`${url}/messages`).expect(200)).body.data;
    const warning = messages.find((m: { authorRole: string }) => m.authorRole === 'system');
    expect(warning.body).toContain('TXID');

    // The satisfaction comment of a solved ticket.
    await agent.patch(url, { status: 'solved' }).expect(200);
    const rated = await customer
      .post(`${url}/satisfaction`, {
        rating: 1,
        comment: `still locked out, my password is ${COMMENT_PASSWORD}`,
      })
      .expect(201);
    expect(rated.body.satisfaction.comment).toContain('[REDACTED:password]');

    // A too-long subject with a seed phrase in it: 400, naming the field, echoing nothing of it.
    const tooLong = await customer
      .post('/v1/tickets', ticketBody({ subject: `${REJECTED_MNEMONIC} ${'x'.repeat(200)}` }))
      .expect(400);
    expect(JSON.stringify(tooLong.body)).toContain('subject');
    expect(JSON.stringify(tooLong.body)).not.toContain(fourWords(REJECTED_MNEMONIC));

    await eventually(() =>
      expect(receiver.bodies.filter((body) => body.includes(ticket.id)).length).toBeGreaterThanOrEqual(3),
    );
    await expectNoSecretAnywhere();
  });

  it('redacts a seed phrase across the chunks a large text attachment is redacted in', async () => {
    const ticket = await openTicket(customer);
    // Text is redacted 64 KiB at a time: the phrase, one word per line, straddles the first cut.
    const filler = `${'='.repeat(63)}\n`.repeat(1023);
    const words = FILE_MNEMONIC.split(' ').join('\n');
    const content = `${filler}${words}\n${filler}`;
    expect(filler.length).toBeLessThan(64 * 1024);
    expect(filler.length + words.length).toBeGreaterThan(64 * 1024);
    const upload = await uploadText(customer, ticket.id, content, 'wallet-export.log').expect(201);
    const download = await downloadBytes(customer, upload.body.id);
    expect((download.body as Buffer).toString('utf8')).toBe(`${filler}[REDACTED:mnemonic]\n${filler}`);
    expect(upload.body.size).toBe((download.body as Buffer).length);
    await expectNoSecretAnywhere();
  });

  it('never logs a bearer token, whatever the request', async () => {
    const session = await t.as('customer');
    const ticket = await openTicket(session);
    await session.get(`/v1/tickets/${ticket.id}`).expect(200);
    await uploadText(session, ticket.id, 'nothing secret here\n', 'notes.txt').expect(201);
    expect(t.logs.join('\n')).not.toContain(session.token);
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

  it('finds a seed phrase split between subject and description, and warns once', async () => {
    const words = SPLIT_MNEMONIC.split(' ');
    const ticket = await openTicket(customer, {
      subject: `Wallet words ${words.slice(0, 6).join(' ')}`,
      description: `${words.slice(6).join(' ')}\n\nRegards`,
    });
    expect(ticket.subject).toMatch(/\[REDACTED:mnemonic\]$/);
    expect(ticket.description).toBe('[REDACTED:mnemonic]\n\nRegards');
    const url = `/v1/tickets/${ticket.id}`;
    const events = (await customer.get(`${url}/events`).expect(200)).body.data;
    const redacted = events.filter((event: { type: string }) => event.type === 'ticket.redacted');
    expect(redacted.map((event: { data: unknown }) => event.data)).toEqual([{ kinds: { mnemonic: 1 } }]);
    const messages = (await customer.get(`${url}/messages`).expect(200)).body.data;
    expect(messages).toHaveLength(1);
    await expectNoSecretAnywhere();
  });

  it('leaves ordinary evidence alone: tx hashes, addresses and amounts', async () => {
    const body =
      'TXID 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060, to TRX address TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7, amount 150.5 USDT';
    const ticket = await openTicket(customer, { description: body });
    expect(ticket.description).toBe(body);
    expect(ticket.tags).not.toContain('secret-exposed');
  });
});
