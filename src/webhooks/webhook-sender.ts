import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkTarget, type Lookup } from './ssrf';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface SendRequest {
  url: URL;
  /** Connect here instead of resolving the host again (the address the SSRF check approved). */
  address?: { address: string; family: number };
  headers: Record<string, string>;
  body: string;
  /** The attempt's deadline, all of it: what `spentMs` already took counts against it. */
  timeoutMs: number;
  /** Time the attempt already spent before this request (the target's DNS lookup). */
  spentMs?: number;
  /** Ends the request at once when aborted (the process is shutting down). */
  signal?: AbortSignal;
}

/**
 * One POST, no redirects followed (a 3xx is a failed attempt: following it could lead anywhere),
 * a fresh connection each time (a pooled socket would skip the address check), and a deadline for
 * the whole exchange. Any 2xx is success. Never throws: failures come back as results.
 */
export function sendWebhook(request: SendRequest): Promise<SendResult> {
  const started = performance.now() - (request.spentMs ?? 0);
  const elapsed = () => performance.now() - started;
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...result, durationMs: elapsed() });
    };
    const pinned = request.address;
    const lookup: LookupFunction | undefined = pinned
      ? (_hostname, options, callback) => {
          // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(
              null,
              [pinned],
            );
          } else {
            callback(null, pinned.address, pinned.family);
          }
        }
      : undefined;
    const req = client.request(request.url, {
      method: 'POST',
      agent: false,
      lookup,
      headers: {
        ...request.headers,
        'Content-Length': String(Buffer.byteLength(request.body)),
        Connection: 'close',
      },
    });
    const deadline = setTimeout(
      () => req.destroy(new Error(`timed out after ${request.timeoutMs} ms`)),
      Math.max(0, request.timeoutMs - (request.spentMs ?? 0)),
    );
    deadline.unref();
    const abort = () => req.destroy(new Error('aborted'));
    if (request.signal?.aborted) abort();
    request.signal?.addEventListener('abort', abort, { once: true });
    req.on('close', () => request.signal?.removeEventListener('abort', abort));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      // The answer is the status line; the body is read and dropped so the socket can close.
      res.resume();
      res.on('error', () => undefined);
      res.on('close', () => clearTimeout(deadline));
      if (status >= 200 && status < 300) finish({ ok: true, statusCode: status, error: null });
      else if (status >= 300 && status < 400) {
        finish({ ok: false, statusCode: status, error: 'redirect not followed' });
      } else finish({ ok: false, statusCode: status, error: `unexpected status ${status}` });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      finish({ ok: false, statusCode: null, error: error.message || error.code || 'request failed' });
    });
    req.end(request.body);
  });
}

export interface AttemptRequest {
  /** The endpoint's URL as registered. */
  url: string;
  allowPrivate: boolean;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One delivery attempt within one deadline: the target checked again (the name may resolve
 * elsewhere now than at registration), its DNS lookup included, then the POST to the address that
 * was checked. The duration reported includes the lookup. `lookup` and `send` are injectable for tests.
 */
export async function attemptDelivery(
  request: AttemptRequest,
  lookup?: Lookup,
  send: typeof sendWebhook = sendWebhook,
): Promise<SendResult> {
  const started = performance.now();
  const target = await checkTarget(request.url, request.allowPrivate, lookup, {
    timeoutMs: request.timeoutMs,
    signal: request.signal,
  });
  const spentMs = performance.now() - started;
  if (!target.ok) return { ok: false, statusCode: null, durationMs: spentMs, error: target.reason };
  return send({
    url: target.url,
    address: target.address,
    headers: request.headers,
    body: request.body,
    timeoutMs: request.timeoutMs,
    spentMs,
    signal: request.signal,
  });
}
