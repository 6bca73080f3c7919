import { SignJWT } from 'jose';
import type { AppConfig } from '../config/app-config';
import { resolveJwtSecret } from './jwt-secret';
import type { Role } from './roles';

export interface TokenClaims {
  sub: string;
  role: Role;
  vip?: number;
  name?: string;
  locale?: string;
}

/**
 * Signs an HS256 token with the configured (or development) secret: for `npm run token` and tests.
 * With AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE set, the token carries them, as the verifier requires.
 */
export async function signToken(config: AppConfig, claims: TokenClaims, expiresIn = '12h'): Promise<string> {
  const { sub, ...rest } = claims;
  const jwt = new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn);
  if (config.AUTH_JWT_ISSUER) jwt.setIssuer(config.AUTH_JWT_ISSUER);
  if (config.AUTH_JWT_AUDIENCE) jwt.setAudience(config.AUTH_JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(resolveJwtSecret(config)));
}
