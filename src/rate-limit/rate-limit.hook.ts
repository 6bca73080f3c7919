import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../common/errors/app-error';
import { sendProblem } from '../common/errors/problem.filter';
import { type RateDecision, RateLimiter } from './rate-limiter';

/** Probes and scrapes are never limited (SPEC: health and metrics are exempt). */
const EXEMPT = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Rate limiting as a Fastify onRequest hook: it runs before the body is read and before any guard,
 * so a limited caller costs neither. The caller is the verified token's `sub`; a request without a
 * valid token counts against its IP address, or its IPv6 /64 (a forged token cannot spend someone
 * else's budget, as its signature is checked first). Every counted response carries the RateLimit-* headers; a
 * refused one is a 429 problem with Retry-After.
 */
export function installRateLimit(app: NestFastifyApplication): void {
  const limiter = app.get(RateLimiter);
  const verifier = app.get(TokenVerifier);
  if (!limiter.enabled) return;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (EXEMPT.has(request.url.split('?')[0])) return;
      const decision = await limiter.consume(await callerKey(request, verifier));
      if (!decision) return;
      setHeaders(reply, decision);
      if (decision.allowed) return;
      sendProblem(
        new AppError(
          'rate_limited',
          `Too many requests: at most ${decision.limit} a minute. Retry in ${decision.resetSeconds} s.`,
          { retryAfter: decision.resetSeconds },
        ),
        request,
        reply,
      );
      return reply;
    });
}

async function callerKey(request: FastifyRequest, verifier: TokenVerifier): Promise<string> {
  if (request.headers.authorization) {
    try {
      return `user:${(await verifier.verify(request.headers.authorization)).id}`;
    } catch {
      // Not a valid token: the request is anonymous, and the guard will answer 401.
    }
  }
  return `ip:${addressKey(request.ip)}`;
}

/**
 * The part of a client address that names one caller: an IPv4 address, or the /64 of an IPv6 one
 * (a subscriber usually gets a whole /64, so counting per address would give one caller 2^64
 * budgets). An IPv4-mapped IPv6 address counts as the IPv4 address it carries.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = new ipaddr.IPv6([...(address as ipaddr.IPv6).parts.slice(0, 4), 0, 0, 0, 0]);
  return `${network.toString()}/64`;
}

function setHeaders(reply: FastifyReply, decision: RateDecision): void {
  void reply.header('RateLimit-Limit', String(decision.limit));
  void reply.header('RateLimit-Remaining', String(decision.remaining));
  void reply.header('RateLimit-Reset', String(decision.resetSeconds));
  void reply.header('RateLimit-Policy', `${decision.limit};w=60`);
}
