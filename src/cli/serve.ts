// `parley serve`: opens the database, adds demo data to a fresh one, listens, and shuts down cleanly on signals.
import { createApp, randomKeys } from '../app.ts';
import type { Config } from '../config.ts';
import { fillDemoData, isFresh } from '../demo/demo-data.ts';

export async function serve(config: Config) {
  const app = await createApp(config);
  if (config.demo && (await isFresh(app.store))) {
    await fillDemoData(app.store, new Date(), randomKeys.sessionKey);
    app.server.log.warn('fresh database: demo data added (logins adm0/Adm0, tje0/Tje0); for trying out only');
  }
  await app.server.listen({ port: config.port, host: config.host });
  const stop = async (signal: string) => {
    app.server.log.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
