import { createHmac } from 'node:crypto';
import { signatureHeader, verifySignature } from '../../src/webhooks/webhook-signature';

const SECRET = 'whsec_unit_0123456789abcdef';
const BODY =
  '{"id":"e1","type":"ticket.created","createdAt":"2025-11-22T08:00:00.000Z","data":{"ticket":{}}}';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const header = signatureHeader(SECRET, BODY, 1763798400);
    const expected = createHmac('sha256', SECRET).update(`1763798400.${BODY}`).digest('hex');
    expect(header).toBe(`t=1763798400,v1=${expected}`);
  });

  it('verifies within the tolerance and refuses an old or future t (replay)', () => {
    const header = signatureHeader(SECRET, BODY, 1000);
    expect(verifySignature(SECRET, BODY, header, 1000)).toBe(true);
    expect(verifySignature(SECRET, BODY, header, 1300)).toBe(true); // 300 s later: the edge
    expect(verifySignature(SECRET, BODY, header, 1301)).toBe(false);
    expect(verifySignature(SECRET, BODY, header, 699)).toBe(false);
  });

  it('refuses another secret, a changed body, a changed t and malformed headers', () => {
    const header = signatureHeader(SECRET, BODY, 1000);
    expect(verifySignature('whsec_other_0123456789abcdef', BODY, header, 1000)).toBe(false);
    expect(verifySignature(SECRET, BODY.replace('e1', 'e2'), header, 1000)).toBe(false);
    expect(verifySignature(SECRET, BODY, header.replace('t=1000', 't=1001'), 1001)).toBe(false);
    for (const bad of ['', 't=1000', 'v1=abc', 't=x,v1=00', `t=1000,v1=${'g'.repeat(64)}`]) {
      expect(verifySignature(SECRET, BODY, bad, 1000)).toBe(false);
    }
  });
});
