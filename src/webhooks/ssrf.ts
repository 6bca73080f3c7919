import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** IPv6 global unicast: the only IPv6 block public hosts are in. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * SSRF guard for webhook targets. Only addresses ipaddr.js classifies as plain public `unicast` are
 * allowed: loopback, private, link-local (cloud metadata), unique-local, CGNAT, unspecified,
 * multicast, broadcast, reserved and documentation ranges are refused. An IPv4-mapped IPv6 address
 * is judged as the IPv4 address it carries; the other IPv6 forms that embed one (IPv4-compatible
 * ::/96, NAT64, 6to4, Teredo) are refused outright, as is any IPv6 address outside 2000::/3.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // `process` turns ::ffff:a.b.c.d into a.b.c.d, so a mapped loopback is judged as loopback.
  const parsed = ipaddr.process(address);
  if (parsed.range() !== 'unicast') return false;
  // IPv6 beyond the global unicast block is never a public host: ::/96 (IPv4-compatible, as in
  // [::127.0.0.1]), which ipaddr.js calls unicast, and unallocated space are refused.
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST);
}

export type Lookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type TargetCheck =
  { ok: true; url: URL; address?: { address: string; family: number } } | { ok: false; reason: string };

/** The http(s) URL an endpoint may be registered with, or why not (without resolving its host). */
export function parseTargetUrl(raw: string): URL | string {
  if (!URL.canParse(raw)) return 'must be an absolute URL';
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (!url.hostname) return 'must name a host';
  // user:password@ would be sent to the endpoint and shown back in every response: not allowed.
  if (url.username || url.password) return 'must not contain credentials';
  return url;
}

export interface CheckOptions {
  /** The lookup's deadline: a name that does not resolve in time is refused. */
  timeoutMs?: number;
  /** Ends the wait for the lookup at once (the process is shutting down). */
  signal?: AbortSignal;
}

/**
 * Resolves the URL's host (every address) and refuses it when any address is not public, unless
 * private targets are allowed. The address returned is the one to connect to: delivery connects
 * to exactly what was checked, so a DNS answer that changes in between (rebinding) is not used.
 * The lookup is bounded by `timeoutMs`: a resolver that hangs cannot hold an attempt (or a
 * registration) past its deadline.
 */
export async function checkTarget(
  raw: string,
  allowPrivate: boolean,
  lookup: Lookup = systemLookup,
  options: CheckOptions = {},
): Promise<TargetCheck> {
  const url = parseTargetUrl(raw);
  if (typeof url === 'string') return { ok: false, reason: url };
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      const answer = await bounded(lookup(host), options);
      if (answer === TIMED_OUT)
        return { ok: false, reason: `DNS lookup timed out after ${options.timeoutMs} ms` };
      if (answer === ABORTED) return { ok: false, reason: 'aborted' };
      addresses = answer;
    } catch {
      return { ok: false, reason: 'host does not resolve' };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: 'host does not resolve' };
  if (!addresses.every((entry) => isPublicAddress(entry.address))) {
    return { ok: false, reason: 'blocked address' };
  }
  return { ok: true, url, address: addresses[0] };
}

const TIMED_OUT = Symbol('timed out');
const ABORTED = Symbol('aborted');

/** `work`, or TIMED_OUT / ABORTED if the deadline passes or the signal fires first (the work is left to finish). */
function bounded<T>(work: Promise<T>, options: CheckOptions): Promise<T | typeof TIMED_OUT | typeof ABORTED> {
  const { timeoutMs, signal } = options;
  if (timeoutMs === undefined && signal === undefined) return work;
  if (signal?.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => settle(() => resolve(TIMED_OUT)), timeoutMs);
    const onAbort = () => settle(() => resolve(ABORTED));
    signal?.addEventListener('abort', onAbort, { once: true });
    function settle(done: () => void): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      done();
    }
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
