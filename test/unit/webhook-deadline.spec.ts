import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkTarget, type Lookup } from '../../src/webhooks/ssrf';
import { attemptDelivery, type SendRequest, sendWebhook } from '../../src/webhooks/webhook-sender';

/** A lookup that answers after `ms` (of the test's clock), or never. */
const answersAfter =
  (ms: number | undefined, address = '93.184.215.14'): Lookup =>
  () =>
    new Promise((resolve) => {
      if (ms !== undefined) setTimeout(() => resolve([{ address, family: 4 }]), ms);
    });

describe('the attempt deadline', () => {
  afterEach(() => jest.useRealTimers());

  it('refuses a name whose lookup does not answer within the deadline', async () => {
    jest.useFakeTimers();
    let settled: unknown;
    void checkTarget('https://hooks.example.com/x', false, answersAfter(undefined), { timeoutMs: 100 }).then(
      (check) => (settled = check),
    );
    await jest.advanceTimersByTimeAsync(99);
    expect(settled).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    // Before: the lookup was awaited without a bound, outside the attempt's deadline.
    expect(settled).toEqual({ ok: false, reason: 'DNS lookup timed out after 100 ms' });
  });

  it('stops waiting for the lookup when the signal fires', async () => {
    const controller = new AbortController();
    const checking = checkTarget('https://hooks.example.com/x', false, answersAfter(undefined), {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    controller.abort();
    expect(await checking).toEqual({ ok: false, reason: 'aborted' });
  });

  it('counts the lookup in the deadline and the duration of the attempt', async () => {
    jest.useFakeTimers();
    const send = jest.fn(async (request: SendRequest) => ({
      ok: true,
      statusCode: 204,
      durationMs: request.spentMs ?? 0,
      error: null,
    }));
    const attempt = attemptDelivery(
      { url: 'https://hooks.example.com/x', allowPrivate: false, headers: {}, body: '{}', timeoutMs: 1000 },
      answersAfter(700),
      send,
    );
    await jest.advanceTimersByTimeAsync(700);
    const result = await attempt;
    // 700 ms went to the lookup: the request gets the remaining 300 ms of the 1000 ms deadline.
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        timeoutMs: 1000,
        spentMs: 700,
        address: { address: '93.184.215.14', family: 4 },
      }),
    );
    expect(result.durationMs).toBe(700);
  });

  it('reports a refused target with the time its lookup took', async () => {
    jest.useFakeTimers();
    const attempt = attemptDelivery(
      { url: 'https://hooks.example.com/x', allowPrivate: false, headers: {}, body: '{}', timeoutMs: 1000 },
      answersAfter(250, '10.0.0.7'),
    );
    await jest.advanceTimersByTimeAsync(250);
    expect(await attempt).toEqual({ ok: false, statusCode: null, durationMs: 250, error: 'blocked address' });
  });

  describe('sendWebhook', () => {
    let server: Server;
    let url: URL;
    beforeAll(async () => {
      // Reads the request and never answers.
      server = createServer((req) => req.resume());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives the request only what is left of the deadline', async () => {
      const result = await sendWebhook({ url, headers: {}, body: '{}', timeoutMs: 5000, spentMs: 4950 });
      expect(result).toMatchObject({ ok: false, statusCode: null, error: 'timed out after 5000 ms' });
      // The duration counts the 4950 ms already spent; the request itself had about 50 ms.
      expect(result.durationMs).toBeGreaterThanOrEqual(5000);
      expect(result.durationMs).toBeLessThan(7500);
    });
  });
});
