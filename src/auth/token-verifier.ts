import { Inject, Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AppError } from '../common/errors/app-error';
import { resolveJwtSecret } from './jwt-secret';
import { ROLES, type Role, type Viewer } from './roles';

/** How long a verified token is taken on trust before its signature is checked again. */
const VERIFIED_TTL_MS = 60_000;

/**
 * Verifies Bearer JWTs: HS256 with the shared secret, or RS256/ES256 against the identity provider's JWKS.
 *
 * A client sends the same token with every request, and checking its signature is most of the
 * CPU an authenticated read costs (jose imports the key and runs the HMAC through WebCrypto each
 * time). So a token that verified is remembered, by its exact text, until it expires and for at
 * most a minute (a key the identity provider withdraws stops working within that minute). Only
 * successes are kept: a bad token is checked, and refused, every time.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly verified = new LRUCache<string, Viewer>({ max: 10_000 });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.AUTH_JWKS_URL) {
      this.key = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
      this.algorithms = ['RS256', 'ES256'];
    } else {
      this.key = new TextEncoder().encode(resolveJwtSecret(config));
      this.algorithms = ['HS256'];
    }
  }

  async verify(authorization: string | undefined): Promise<Viewer> {
    // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are Bearer too.
    const match = /^Bearer +([A-Za-z0-9_\-.]+)$/i.exec(authorization ?? '');
    if (!match) throw new AppError('unauthenticated', 'A Bearer token is required.');
    const token = match[1];
    const known = this.verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        issuer: this.config.AUTH_JWT_ISSUER,
        audience: this.config.AUTH_JWT_AUDIENCE,
      };
      payload =
        typeof this.key === 'function'
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw new AppError('unauthenticated', expired ? 'The token has expired.' : 'The token is not valid.');
    }
    const viewer = viewerFromClaims(payload);
    const ttl = Math.min(
      VERIFIED_TTL_MS,
      payload.exp === undefined ? Infinity : payload.exp * 1000 - Date.now(),
    );
    if (ttl > 0) this.verified.set(token, viewer, { ttl });
    return viewer;
  }
}

/** The caller described by verified claims; 401 when `sub` or `role` is missing or unknown. */
export function viewerFromClaims(claims: JWTPayload): Viewer {
  const { sub, role, vip, name, locale } = claims as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw new AppError('unauthenticated', 'The token has no subject.');
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new AppError('unauthenticated', 'The token has no known role.');
  }
  if (vip !== undefined && !(Number.isInteger(vip) && (vip as number) >= 0 && (vip as number) <= 7)) {
    throw new AppError('unauthenticated', 'The token has an invalid vip claim.');
  }
  return {
    id: sub,
    role: role as Role,
    vip: (vip as number | undefined) ?? 0,
    name: typeof name === 'string' ? name : undefined,
    locale:
      typeof locale === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) ? locale : undefined,
  };
}
