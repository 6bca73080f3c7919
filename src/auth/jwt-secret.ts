import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, MEMORY_DATA_DIR } from '../config/app-config';

let ephemeral: string | undefined;

/**
 * The HS256 secret: AUTH_JWT_SECRET, or in development one generated once and kept in
 * DATA_DIR/jwt-secret (mode 0600) so tokens survive restarts. `DATA_DIR=memory://` keeps it in memory.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.AUTH_JWT_SECRET) return config.AUTH_JWT_SECRET;
  if (config.DATA_DIR === MEMORY_DATA_DIR) return (ephemeral ??= randomBytes(48).toString('base64url'));
  const file = join(config.DATA_DIR, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
