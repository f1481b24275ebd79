import { ConfigError, loadDatabaseConfig } from '@app/common';
import { ensureDatabase, runMigrations } from '@app/persistence';

/** `npm run migrate`: creates the database if missing (development) and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadDatabaseConfig();
  if (config.nodeEnv !== 'production' && (await ensureDatabase(config.databaseUrl))) {
    console.log('created the database');
  }
  const applied = await runMigrations(config.databaseUrl);
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `migrate refused to start. ${err.message}` : `migration failed: ${(err as Error).message}`);
  process.exit(1);
});
