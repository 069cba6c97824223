// The domain's dependencies from the configuration, shared by the app and the CLI's commands. Apart from app.ts so
// that a command such as `parley user list` loads the storage and the domain, not the HTTP server and the jobs.
import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { Clock, DomainDeps, KeyGenerator } from './domain/ports.ts';
import type { ParleyStore } from './storage/store.ts';

export const systemClock: Clock = { now: () => new Date() };
/** 256 random bits: a visitor's only credential must not be guessable. */
export const randomKeys: KeyGenerator = { sessionKey: () => randomBytes(32).toString('base64url') };

/** The domain's dependencies from the configuration: for the app, and for CLI commands that call the domain. */
export const domainDeps = (
  store: ParleyStore,
  config: Config,
  parts: Pick<DomainDeps, 'clock' | 'keys' | 'log'> & Partial<Pick<DomainDeps, 'mailer'>>,
): DomainDeps => ({
  store,
  recentSessionHours: config.recentSessionHours,
  attachmentMaxBytes: config.attachmentMaxBytes,
  defaultTimeZone: config.timeZone,
  ...parts,
});
