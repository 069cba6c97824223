// A Parley server process for the benchmark: serves DATABASE_URL and prints its port when listening.
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const app = await createApp(loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }));
await app.server.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.server.address();
process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
