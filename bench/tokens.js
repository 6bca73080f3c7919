/**
 * Bench tokens, signed like src/auth/sign-token.ts: jose HS256 with AUTH_JWT_SECRET, `sub` and `role`
 * claims, 12 h expiry. (`npm run -s token -- --role agent --sub bench-agent` prints the same kind.)
 */
async function signToken(secret, { sub, role, vip }, expiresIn = '12h') {
  const { SignJWT } = await import('jose');
  return new SignJWT(vip === undefined ? { role } : { role, vip })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(Buffer.from(secret, 'utf8'));
}

/** The agent who reads tickets and the customer who opens them. */
async function benchTokens(secret) {
  return {
    agent: await signToken(secret, { sub: 'bench-agent', role: 'agent' }),
    customer: await signToken(secret, { sub: 'bench-customer', role: 'customer' }),
  };
}

module.exports = { signToken, benchTokens };
