import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { AttachmentStorage } from '../../src/attachments/storage/attachment-storage';
import type { LocalAttachmentStorage } from '../../src/attachments/storage/local-storage';
import { openTicket } from '../support/given';
import { type Session, TestApp } from '../support/test-app';

/** s3rver ships no types: the part of it used here. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver: new (options: Record<string, unknown>) => S3rverServer = require('s3rver');

const PROBLEM = 'application/problem+json';
const FIXTURES = join(__dirname, '..', 'fixtures', 'attachments');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Big enough for every fixture; the oversize cases go just past it. */
const MAX_BYTES = 8 * 1024;
const BUCKET = 'sla-desk-attachments-test';
/** Twelve BIP39 words, as a customer pastes them from a backup card. */
const SEED_WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

/** A storage driver under test: the app's settings for it, and a look at what it holds. */
interface StorageUnderTest {
  env: Record<string, string>;
  /** Every stored object (for the local driver, every file, temporary ones included), by key. */
  objects(): Promise<string[]>;
  /** The local driver's directory. */
  root?: string;
  stop(): Promise<void>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

async function localStorage(): Promise<StorageUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sla-desk-e2e-'));
  const root = join(dataDir, 'attachments');
  return {
    env: { DATA_DIR: dataDir },
    root,
    objects: async () => filesUnder(root),
    stop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function s3Storage(): Promise<StorageUnderTest> {
  const directory = mkdtempSync(join(tmpdir(), 'sla-desk-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
  return {
    env: {
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    objects: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
      return (listed.Contents ?? []).map((object) => object.Key!);
    },
    stop: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Reads any response body as bytes, whatever its Content-Type. */
function bytes(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe.each([
  ['local', localStorage],
  ['S3', s3Storage],
])('attachments (%s storage)', (_driver, startStorage) => {
  let storage: StorageUnderTest;
  let t: TestApp;
  let customer: Session;
  let other: Session;
  let agent: Session;

  beforeAll(async () => {
    storage = await startStorage();
    t = await TestApp.start({ ...storage.env, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) });
  });
  afterAll(async () => {
    await t?.close();
    await storage?.stop();
  });
  beforeEach(async () => {
    customer = await t.as('customer');
    other = await t.as('customer');
    agent = await t.as('agent');
  });

  function upload(
    session: Session,
    ticketId: string,
    content: Buffer,
    filename: string,
    options: { fields?: Record<string, string>; contentType?: string } = {},
  ) {
    const req = t
      .http()
      .post(`/v1/tickets/${ticketId}/attachments`)
      .set('Authorization', `Bearer ${session.token}`);
    for (const [name, value] of Object.entries(options.fields ?? {})) void req.field(name, value);
    return req.attach('file', content, {
      filename,
      contentType: options.contentType ?? 'application/octet-stream',
    });
  }

  function download(session: Session, id: string, headers: Record<string, string> = {}) {
    const req = session.get(`/v1/attachments/${id}/content`).buffer(true).parse(bytes);
    for (const [name, value] of Object.entries(headers)) void req.set(name, value);
    return req;
  }

  async function rowsOf(ticketId: string): Promise<number> {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM attachments WHERE ticket_id = $1`, [ticketId]);
    return row.n;
  }

  it.each([
    ['screenshot.png', 'image/png'],
    ['photo.jpg', 'image/jpeg'],
    ['photo.webp', 'image/webp'],
    ['animation.gif', 'image/gif'],
    ['statement.pdf', 'application/pdf'],
    ['clip.mp4', 'video/mp4'],
    ['notes-zh.txt', 'text/plain; charset=utf-8'],
  ])('stores %s as %s, by its bytes, and serves it back byte for byte', async (name, contentType) => {
    const ticket = await openTicket(customer);
    const content = fixture(name);
    // The client's Content-Type is ignored: the bytes decide.
    const created = await upload(customer, ticket.id, content, name, { contentType: 'text/html' }).expect(
      201,
    );
    expect(created.body).toEqual({
      id: expect.any(String),
      ticketId: ticket.id,
      filename: name,
      contentType,
      size: content.length,
      sha256: sha256(content),
      visibility: 'public',
      createdAt: expect.any(String),
    });
    expect(created.headers.location).toBe(`/v1/attachments/${created.body.id}`);

    for (const session of [customer, agent]) {
      const meta = await session.get(`/v1/attachments/${created.body.id}`).expect(200);
      expect(meta.body).toEqual(created.body);
      expect(meta.headers.etag).toMatch(/^"[^"]+"$/);
      const res = await download(session, created.body.id).expect(200);
      expect(sha256(res.body)).toBe(sha256(content));
      expect(res.headers).toMatchObject({
        'content-type': contentType,
        'x-content-type-options': 'nosniff',
        'content-length': String(content.length),
        'accept-ranges': 'bytes',
        etag: `"${sha256(content)}"`,
        'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      });
    }
    expect(await storage.objects()).toContain(`tickets/${ticket.id}/${created.body.id}`);
  });

  it.each([
    ['an executable named .png', 'program.png', 'program.png'],
    ['an HTML page named .png', 'page.html', 'invoice.png'],
    ['an HTML page', 'page.html', 'page.html'],
    ['an SVG image', 'image.svg', 'logo.svg'],
    ['an XML document', 'data.xml', 'data.txt'],
  ])('refuses %s with 415 and stores nothing', async (_what, name, sentAs) => {
    const ticket = await openTicket(customer);
    const res = await upload(customer, ticket.id, fixture(name), sentAs, { contentType: 'image/png' }).expect(
      415,
    );
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect((await storage.objects()).filter((key) => key.includes(ticket.id))).toEqual([]);
    expect(await rowsOf(ticket.id)).toBe(0);
  });

  it('refuses binary bytes and markup hidden in text', async () => {
    const ticket = await openTicket(customer);
    const nul = Buffer.from('order ORD-1 failed\u0000\u0001\u0002 see log', 'utf8');
    await upload(customer, ticket.id, nul, 'log.txt').expect(415);
    const latin1 = Buffer.from('Caf\xe9 withdrawal', 'latin1');
    await upload(customer, ticket.id, latin1, 'note.txt').expect(415);
    const script = Buffer.from('Hello support,\nplease see <script>alert(1)</script>\n', 'utf8');
    await upload(customer, ticket.id, script, 'note.txt').expect(415);
    expect(await rowsOf(ticket.id)).toBe(0);
  });

  it('answers 400 for an empty file, a missing file and unknown or forbidden fields; 415 when not multipart', async () => {
    const ticket = await openTicket(customer);
    const empty = await upload(customer, ticket.id, Buffer.alloc(0), 'empty.png').expect(400);
    expect(empty.body.errors).toEqual([{ field: 'file', message: 'is empty' }]);
    const none = await customer.post(`/v1/tickets/${ticket.id}/attachments`).field('visibility', 'public');
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([{ field: 'file', message: 'is required' }]);
    const unknown = await upload(customer, ticket.id, fixture('screenshot.png'), 'a.png', {
      fields: { uploaderId: 'agent-1' },
    }).expect(400);
    expect(unknown.body.errors[0].field).toBe('uploaderId');
    const internal = await upload(customer, ticket.id, fixture('screenshot.png'), 'a.png', {
      fields: { visibility: 'internal' },
    }).expect(400);
    expect(internal.body.errors[0].field).toBe('visibility');
    // The first file is stored before the second shows up: it is removed again.
    const two = await customer
      .post(`/v1/tickets/${ticket.id}/attachments`)
      .attach('file', fixture('screenshot.png'), 'a.png')
      .attach('file', fixture('statement.pdf'), 'b.pdf')
      .expect(400);
    expect(two.body.errors).toEqual([{ field: 'file', message: 'only one file may be sent per request' }]);
    const late = await upload(customer, ticket.id, fixture('screenshot.png'), 'a.png')
      .field('visibility', 'internal')
      .expect(400);
    expect(late.body.errors[0].field).toBe('visibility');
    const json = await customer.post(`/v1/tickets/${ticket.id}/attachments`, { file: 'x' }).expect(415);
    expect(json.headers['content-type']).toContain(PROBLEM);
    expect(await rowsOf(ticket.id)).toBe(0);
    expect((await storage.objects()).filter((key) => key.includes(ticket.id))).toEqual([]);
  });

  it('takes a file of exactly ATTACHMENT_MAX_BYTES; one byte more is 413 and leaves nothing anywhere', async () => {
    const ticket = await openTicket(customer);
    const png = fixture('screenshot.png');
    // Bytes after a PNG's end are ignored by readers: still a PNG, padded to the limit.
    const exact = Buffer.concat([png, Buffer.alloc(MAX_BYTES - png.length, 0x20)]);
    const before = await storage.objects();
    const ok = await upload(customer, ticket.id, exact, 'exact.png').expect(201);
    expect(ok.body.size).toBe(MAX_BYTES);

    const over = await upload(customer, ticket.id, Buffer.concat([exact, Buffer.from('!')]), 'over.png');
    expect(over.status).toBe(413);
    expect(over.headers['content-type']).toContain(PROBLEM);
    // Far over the limit (more than the sockets buffer), still arriving when the answer goes out.
    const huge = await upload(
      customer,
      ticket.id,
      Buffer.concat([png, Buffer.alloc(16 * 1024 * 1024)]),
      'huge.png',
    );
    expect(huge.status).toBe(413);
    const text = await upload(customer, ticket.id, Buffer.alloc(MAX_BYTES + 1, 'a'), 'long.txt');
    expect(text.status).toBe(413);

    expect((await storage.objects()).sort()).toEqual(
      [...before, `tickets/${ticket.id}/${ok.body.id}`].sort(),
    );
    expect(await rowsOf(ticket.id)).toBe(1);
  });

  it('answers a refusal before the body is read and still serves the next request on that connection', async () => {
    const ticket = await openTicket(customer);
    const server = t.app.getHttpServer();
    if (!server.listening) await t.app.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent: keepAlive,
            headers: { Authorization: `Bearer ${customer.token}`, ...headers },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const boundary = 'sla-desk-boundary';
    const form = (field: string, content: Buffer) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\n${field}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    // Megabytes the server never reads: past the size limit, and behind a field it refuses.
    const big = Buffer.concat([fixture('screenshot.png'), Buffer.alloc(4 * 1024 * 1024)]);
    const cases: [Buffer, number][] = [
      [form('Content-Disposition: form-data; name="note"\r\n\r\nhi', big), 400],
      [form('Content-Disposition: form-data; name="visibility"\r\n\r\npublic', big), 413],
    ];
    try {
      for (const [body, status] of cases) {
        const headers = {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(body.length),
        };
        expect(await send('POST', `/v1/tickets/${ticket.id}/attachments`, body, headers)).toBe(status);
        expect(await send('GET', `/v1/tickets/${ticket.id}`)).toBe(200);
      }
    } finally {
      keepAlive.destroy();
    }
    expect(await rowsOf(ticket.id)).toBe(0);
  });

  it('leaves no object and no row when the upload is cut off halfway', async () => {
    const ticket = await openTicket(customer);
    const boundary = 'sla-desk-boundary';
    const png = fixture('screenshot.png');
    const truncated = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      png.subarray(0, 200),
    ]);
    const res = await t
      .http()
      .post(`/v1/tickets/${ticket.id}/attachments`)
      .set('Authorization', `Bearer ${customer.token}`)
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(truncated);
    expect(res.status).toBe(400);
    expect((await storage.objects()).filter((key) => key.includes(ticket.id))).toEqual([]);
    expect(await rowsOf(ticket.id)).toBe(0);
  });

  it('keeps only a clean display name: no path, no control or bidi characters, an honest extension', async () => {
    const ticket = await openTicket(customer);
    const png = fixture('screenshot.png');
    const text = fixture('notes-zh.txt');
    const cases: [Buffer, string, string][] = [
      [png, '../../etc/passwd.png', 'passwd.png'],
      [text, '..\\..\\x.txt', 'x.txt'],
      [png, '/var/www/../../.ssh/authorized_keys', 'authorized_keys.png'],
      [png, 'invoice\u202egnp.exe', 'invoicegnp.exe.png'],
      [png, '提币截图 2025.png', '提币截图 2025.png'],
      [text, '..', 'attachment.txt'],
    ];
    for (const [content, sent, kept] of cases) {
      const res = await upload(customer, ticket.id, content, sent).expect(201);
      expect(res.body.filename).toBe(kept);
      const got = await download(agent, res.body.id).expect(200);
      expect(sha256(got.body)).toBe(sha256(content));
    }
    const chinese = await upload(customer, ticket.id, png, '提币截图.png').expect(201);
    const res = await download(customer, chinese.body.id).expect(200);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="____.png"; filename*=UTF-8''%E6%8F%90%E5%B8%81%E6%88%AA%E5%9B%BE.png`,
    );

    const objects = (await storage.objects()).filter((key) => key.includes(ticket.id));
    expect(objects).toHaveLength(cases.length + 1);
    for (const key of objects) {
      expect(key).toMatch(new RegExp(`^tickets/${ticket.id}/[0-9a-f-]{36}$`));
    }
    if (storage.root) {
      expect(existsSync(join(storage.root, '..', '..', 'etc', 'passwd.png'))).toBe(false);
      expect(existsSync(join(storage.root, '..', '..', 'x.txt'))).toBe(false);
      const dataDir = join(storage.root, '..');
      const outside = filesUnder(dataDir).filter((path) => !/^(attachments|pgdata)\//.test(path));
      expect(outside).toEqual([]);
    }
  });

  it('serves byte ranges (206), suffix ranges, and 416 for a range past the end', async () => {
    const ticket = await openTicket(customer);
    const video = fixture('clip.mp4');
    const size = video.length;
    const { body } = await upload(customer, ticket.id, video, 'clip.mp4').expect(201);

    const first = await download(customer, body.id, { Range: 'bytes=0-99' }).expect(206);
    expect(first.body.equals(video.subarray(0, 100))).toBe(true);
    expect(first.headers).toMatchObject({
      'content-range': `bytes 0-99/${size}`,
      'content-length': '100',
      'content-type': 'video/mp4',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    });
    const rest = await download(customer, body.id, { Range: 'bytes=1000-' }).expect(206);
    expect(rest.body.equals(video.subarray(1000))).toBe(true);
    expect(rest.headers['content-range']).toBe(`bytes 1000-${size - 1}/${size}`);
    const suffix = await download(customer, body.id, { Range: 'bytes=-100' }).expect(206);
    expect(suffix.body.equals(video.subarray(size - 100))).toBe(true);
    expect(suffix.headers['content-range']).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    const clamped = await download(customer, body.id, { Range: `bytes=10-${size * 10}` }).expect(206);
    expect(clamped.body.equals(video.subarray(10))).toBe(true);

    const past = await customer
      .get(`/v1/attachments/${body.id}/content`)
      .set('Range', `bytes=${size}-`)
      .expect(416);
    expect(past.headers['content-type']).toContain(PROBLEM);
    expect(past.headers['content-range']).toBe(`bytes */${size}`);
    expect(past.body.status).toBe(416);
    await customer.get(`/v1/attachments/${body.id}/content`).set('Range', 'bytes=-0').expect(416);

    // If-Range with other bytes' ETag: the whole file; If-None-Match with this one: 304.
    const changed = await download(customer, body.id, { Range: 'bytes=0-9', 'If-Range': '"other"' }).expect(
      200,
    );
    expect(changed.body.equals(video)).toBe(true);
    await customer
      .get(`/v1/attachments/${body.id}/content`)
      .set('If-None-Match', `"${sha256(video)}"`)
      .expect(304);
  });

  it('hides a customer’s attachments from other customers: 404 on metadata, content, delete and upload', async () => {
    const ticket = await openTicket(customer);
    const { body } = await upload(customer, ticket.id, fixture('statement.pdf'), 'statement.pdf').expect(201);
    for (const path of [`/v1/attachments/${body.id}`, `/v1/attachments/${body.id}/content`]) {
      const res = await other.get(path).expect(404);
      expect(res.headers['content-type']).toContain(PROBLEM);
    }
    await other.delete(`/v1/attachments/${body.id}`).expect(404);
    await upload(other, ticket.id, fixture('screenshot.png'), 'a.png').expect(404);
    await customer.get('/v1/attachments/00000000-0000-4000-8000-000000000000').expect(404);
    await customer.get('/v1/attachments/not-a-uuid/content').expect(404);
  });

  it('keeps internal attachments for agents, on messages too', async () => {
    const ticket = await openTicket(customer);
    const internal = await upload(agent, ticket.id, fixture('statement.pdf'), 'bank-reply.pdf', {
      fields: { visibility: 'internal' },
    }).expect(201);
    expect(internal.body.visibility).toBe('internal');
    await customer.get(`/v1/attachments/${internal.body.id}`).expect(404);
    await customer.get(`/v1/attachments/${internal.body.id}/content`).expect(404);
    await agent.get(`/v1/attachments/${internal.body.id}/content`).expect(200);

    // Uploaded public, then put on an internal note: internal from then on.
    const forNote = await upload(agent, ticket.id, fixture('photo.jpg'), 'chain-explorer.jpg').expect(201);
    const note = await agent
      .post(`/v1/tickets/${ticket.id}/messages`, {
        body: 'Explorer shows the deposit stuck in the mempool.',
        visibility: 'internal',
        attachmentIds: [forNote.body.id, internal.body.id],
      })
      .expect(201);
    expect(note.body.attachmentIds).toEqual([forNote.body.id, internal.body.id]);
    await customer.get(`/v1/attachments/${forNote.body.id}`).expect(404);
    expect((await agent.get(`/v1/attachments/${forNote.body.id}`).expect(200)).body.visibility).toBe(
      'internal',
    );

    // The customer's screenshot on their public reply.
    const shot = await upload(customer, ticket.id, fixture('screenshot.png'), 'balance.png').expect(201);
    await customer
      .post(`/v1/tickets/${ticket.id}/messages`, {
        body: 'Here is my balance page.',
        attachmentIds: [forNote.body.id],
      })
      .expect(400); // not theirs
    const reply = await customer
      .post(`/v1/tickets/${ticket.id}/messages`, {
        body: 'Here is my balance page.',
        attachmentIds: [shot.body.id],
      })
      .expect(201);
    expect(reply.body.attachmentIds).toEqual([shot.body.id]);
    const again = await customer
      .post(`/v1/tickets/${ticket.id}/messages`, { body: 'Once more.', attachmentIds: [shot.body.id] })
      .expect(400); // already on a message
    expect(again.body.errors[0].field).toBe('attachmentIds');
    const elsewhere = await openTicket(customer);
    const foreign = await upload(customer, elsewhere.id, fixture('screenshot.png'), 'a.png').expect(201);
    await customer
      .post(`/v1/tickets/${ticket.id}/messages`, { body: 'Wrong ticket.', attachmentIds: [foreign.body.id] })
      .expect(400);
    // Nor may an agent hide a customer's file inside an internal note.
    const mine = await upload(customer, ticket.id, fixture('screenshot.png'), 'b.png').expect(201);
    await agent
      .post(`/v1/tickets/${ticket.id}/messages`, {
        body: 'Note.',
        visibility: 'internal',
        attachmentIds: [mine.body.id],
      })
      .expect(400);

    const agentView = await agent.get(`/v1/tickets/${ticket.id}/messages`).expect(200);
    const byBody = (page: { data: { body: string; attachmentIds: string[] }[] }, body: string) =>
      page.data.find((message) => message.body === body)?.attachmentIds;
    expect(byBody(agentView.body, 'Explorer shows the deposit stuck in the mempool.')?.sort()).toEqual(
      [forNote.body.id, internal.body.id].sort(),
    );
    expect(byBody(agentView.body, 'Here is my balance page.')).toEqual([shot.body.id]);
    const customerView = await customer.get(`/v1/tickets/${ticket.id}/messages`).expect(200);
    expect(byBody(customerView.body, 'Explorer shows the deposit stuck in the mempool.')).toBeUndefined();
    expect(byBody(customerView.body, 'Here is my balance page.')).toEqual([shot.body.id]);
    for (const message of customerView.body.data) {
      for (const id of message.attachmentIds) await customer.get(`/v1/attachments/${id}`).expect(200);
    }

    // The timeline: customers see public attachments only.
    const events = await customer.get(`/v1/tickets/${ticket.id}/events?limit=100`).expect(200);
    const added = events.body.data
      .filter((event: { type: string }) => event.type === 'attachment.added')
      .map((event: { data: { attachmentId: string } }) => event.data.attachmentId);
    expect(added).toContain(shot.body.id);
    expect(added).not.toContain(internal.body.id);
    // Uploaded public, its record written then, and made internal by the note: hidden from then on.
    expect(added).not.toContain(forNote.body.id);
    expect(JSON.stringify(events.body.data)).not.toContain('chain-explorer');
    const staffEvents = await agent.get(`/v1/tickets/${ticket.id}/events?limit=100`).expect(200);
    expect(
      staffEvents.body.data
        .filter((event: { type: string }) => event.type === 'attachment.added')
        .map((event: { data: { attachmentId: string } }) => event.data.attachmentId),
    ).toEqual(expect.arrayContaining([forNote.body.id, internal.body.id, shot.body.id]));
  });

  it('holds at most 20 live attachments per ticket: the 21st is 409', async () => {
    const ticket = await openTicket(customer);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const res = await upload(agent, ticket.id, Buffer.from(`attachment ${i}\n`), `note-${i}.txt`).expect(
        201,
      );
      ids.push(res.body.id);
    }
    const twentyFirst = await upload(customer, ticket.id, fixture('screenshot.png'), 'one-more.png').expect(
      409,
    );
    expect(twentyFirst.headers['content-type']).toContain(PROBLEM);
    expect(await rowsOf(ticket.id)).toBe(20);
    await agent.delete(`/v1/attachments/${ids[0]}`).expect(204);
    await upload(customer, ticket.id, fixture('screenshot.png'), 'one-more.png').expect(201);
  });

  it('refuses uploads to a closed ticket with 409', async () => {
    const ticket = await openTicket(customer);
    await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'solved' }).expect(200);
    await agent.patch(`/v1/tickets/${ticket.id}`, { status: 'closed' }).expect(200);
    await upload(customer, ticket.id, fixture('screenshot.png'), 'late.png').expect(409);
    expect(await rowsOf(ticket.id)).toBe(0);
  });

  it('stores a text attachment with a seed phrase redacted, and flags the ticket', async () => {
    const ticket = await openTicket(customer);
    const original = Buffer.from(`My wallet backup, in case you need it:\n${SEED_WORDS}\nThanks\n`, 'utf8');
    const created = await upload(customer, ticket.id, original, 'backup.txt').expect(201);
    const stored = await download(agent, created.body.id).expect(200);
    const text = stored.body.toString('utf8');
    expect(text).toContain('[REDACTED:mnemonic]');
    for (const word of ['sausage', 'winner', 'useful', 'yellow']) expect(text).not.toContain(word);
    expect(created.body.sha256).toBe(sha256(stored.body));
    expect(created.body.size).toBe(stored.body.length);
    expect(created.body.sha256).not.toBe(sha256(original));

    const after = await agent.get(`/v1/tickets/${ticket.id}`).expect(200);
    expect(after.body.tags).toContain('secret-exposed');
    const events = await customer.get(`/v1/tickets/${ticket.id}/events?limit=100`).expect(200);
    const redacted = events.body.data.find((event: { type: string }) => event.type === 'ticket.redacted');
    expect(redacted.data).toEqual({ kinds: { mnemonic: 1 } });
    const messages = await customer.get(`/v1/tickets/${ticket.id}/messages`).expect(200);
    expect(
      messages.body.data.some((message: { authorRole: string }) => message.authorRole === 'system'),
    ).toBe(true);
  });

  it('lets the uploader or an agent delete: the bytes go, the timeline keeps a record', async () => {
    const ticket = await openTicket(customer);
    const own = await upload(customer, ticket.id, fixture('screenshot.png'), 'mine.png').expect(201);
    const agents = await upload(agent, ticket.id, fixture('statement.pdf'), 'form.pdf').expect(201);

    await customer.delete(`/v1/attachments/${agents.body.id}`).expect(403);
    await customer.delete(`/v1/attachments/${own.body.id}`).expect(204);
    await agent.delete(`/v1/attachments/${agents.body.id}`).expect(204);
    for (const id of [own.body.id, agents.body.id]) {
      await agent.get(`/v1/attachments/${id}`).expect(404);
      await agent.get(`/v1/attachments/${id}/content`).expect(404);
      await agent.delete(`/v1/attachments/${id}`).expect(404);
    }
    expect((await storage.objects()).filter((key) => key.includes(ticket.id))).toEqual([]);
    const events = await customer.get(`/v1/tickets/${ticket.id}/events?limit=100`).expect(200);
    const deleted = events.body.data.filter((event: { type: string }) => event.type === 'attachment.deleted');
    expect(
      deleted.map((event: { data: { attachmentId: string } }) => event.data.attachmentId).sort(),
    ).toEqual([own.body.id, agents.body.id].sort());
  });
});

describe('attachments (DATA_DIR=memory://)', () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    t = await TestApp.start();
    root = (t.app.get(AttachmentStorage) as LocalAttachmentStorage).root;
  });
  afterAll(async () => {
    await t.close();
    expect(existsSync(root)).toBe(false);
  });

  it('keeps files in a temporary directory, made by the first upload, for the life of the app', async () => {
    expect(root.startsWith(tmpdir())).toBe(true);
    expect(existsSync(root)).toBe(false);
    const customer = await t.as('customer');
    const ticket = await openTicket(customer);
    const png = fixture('screenshot.png');
    const res = await t
      .http()
      .post(`/v1/tickets/${ticket.id}/attachments`)
      .set('Authorization', `Bearer ${customer.token}`)
      .attach('file', png, 'screenshot.png')
      .expect(201);
    const got = await customer
      .get(`/v1/attachments/${res.body.id}/content`)
      .buffer(true)
      .parse(bytes)
      .expect(200);
    expect(sha256(got.body)).toBe(sha256(png));
    expect(filesUnder(root)).toEqual([`tickets/${ticket.id}/${res.body.id}`]);
  });

  it('documents every attachment route, the multipart body and the errors in OpenAPI', async () => {
    const doc = (await t.http().get('/docs/openapi.json').expect(200)).body;
    const upload = doc.paths['/v1/tickets/{id}/attachments'].post;
    const schema = upload.requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(schema.required).toEqual(['file']);
    expect(Object.keys(upload.responses)).toEqual(
      expect.arrayContaining(['201', '400', '404', '409', '413', '415']),
    );
    expect(Object.keys(doc.paths['/v1/attachments/{id}'].get.responses)).toEqual(
      expect.arrayContaining(['200', '404']),
    );
    expect(Object.keys(doc.paths['/v1/attachments/{id}/content'].get.responses)).toEqual(
      expect.arrayContaining(['200', '206', '404', '416']),
    );
    expect(Object.keys(doc.paths['/v1/attachments/{id}'].delete.responses)).toEqual(
      expect.arrayContaining(['204', '403', '404']),
    );
  });
});
