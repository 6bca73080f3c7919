import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config';

function configOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  const database = config.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded PGlite in ${config.DATA_DIR}`;
  new Logger('Main').log(`sla-desk listening on ${await app.getUrl()} with ${database}`);
}

main().catch((error: unknown) => {
  console.error('sla-desk failed to start:', error);
  process.exit(1);
});
