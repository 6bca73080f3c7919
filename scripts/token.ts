/**
 * Prints a development token signed with AUTH_JWT_SECRET or the secret kept in DATA_DIR.
 *   npm run -s token -- --role agent --sub agent-7 [--vip 3] [--name "Ann"] [--locale zh-CN] [--expires 12h]
 * With AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE set, the token carries them as `iss` / `aud` (the API checks them).
 */
import { parseArgs } from 'node:util';
import { signToken } from '../src/auth/sign-token';
import { ROLES, type Role } from '../src/auth/roles';
import { ConfigError, loadConfig } from '../src/config/app-config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'customer' },
      sub: { type: 'string' },
      vip: { type: 'string' },
      name: { type: 'string' },
      locale: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const vip = values.vip === undefined ? undefined : Number(values.vip);
  if (vip !== undefined && !(Number.isInteger(vip) && vip >= 0 && vip <= 7))
    throw new Error('--vip must be 0–7');
  const config = loadConfig(process.env);
  if (config.AUTH_JWKS_URL) throw new Error('AUTH_JWKS_URL is set: tokens come from the identity provider');
  const sub = values.sub ?? `${role}-1`;
  process.stdout.write(
    (await signToken(config, { sub, role, vip, name: values.name, locale: values.locale }, values.expires)) +
      '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
