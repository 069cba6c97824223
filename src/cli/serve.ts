// `parley serve`: opens the database, adds demo data to a fresh one, listens, and shuts down gracefully on signals:
// shutdown hooks end the push streams, requests in flight finish (up to PARLEY_SHUTDOWN_TIMEOUT_SECONDS), then the
// database closes. A second signal exits at once.
import { type App, createApp, randomKeys } from '../app.ts';
import type { Config } from '../config.ts';
import { fillDemoData, isFresh } from '../demo/demo-data.ts';
import { listenWhileWaiting } from '../http/waiting-server.ts';

/** Past the drain's deadline, this long for the jobs and the database to stop before giving up. */
const CLOSE_GRACE_MS = 5000;

export async function serve(config: Config) {
  // The port answers at once (not ready) while the database is waited for; then the app takes it over.
  const waiting = await listenWhileWaiting(config.port, config.host, 'waiting for the database');
  let app: App;
  try {
    app = await createApp(config);
    if (config.demo && (await isFresh(app.store))) {
      await fillDemoData(app.store, new Date(), randomKeys.sessionKey);
      app.server.log.warn('fresh database: demo data added (logins adm0/Adm0, tje0/Tje0); for trying out only');
    }
  } finally {
    await waiting.close();
  }
  await app.server.listen({ port: waiting.port, host: config.host });
  let stopping = false;
  const stop = async (signal: string) => {
    const log = app.server.log;
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(
      () => {
        log.error('shutdown did not finish in time; exiting');
        process.exit(1);
      },
      config.shutdownTimeoutSeconds * 1000 + CLOSE_GRACE_MS,
    ).unref();
    try {
      await app.close();
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
