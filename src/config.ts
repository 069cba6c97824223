// Configuration from the environment (and CLI flags, which win); every setting is listed in the README.
import type { AuthSettings } from './auth/auth-settings.ts';
import type { SweepSettings } from './domain/sweeper/sweep-settings.ts';
import { resolveTimeZone } from './lib/time-zones.ts';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL connections this instance may hold (SQLite: one file handle regardless). */
  databasePoolSize: number;
  /** PostgreSQL: how long to wait for a connection (a new one, or a free one of the pool), and for one statement. */
  databaseTimeouts: { connectMs: number; statementMs: number; sqliteBusyWaitMs: number };
  /** How long `serve` waits at start for a database that cannot be reached yet. */
  databaseStartupWaitSeconds: number;
  /** How long shutdown waits for requests in flight before closing their connections. */
  shutdownTimeoutSeconds: number;
  /** After a signal, how long open keep-alive connections are left to their clients (each next request: 503). */
  shutdownLingerMs: number;
  /** Shortest password the CLI sets. */
  minPasswordLength: number;
  /** IANA zone dates are written in when a caller sends no SO-TimeZone. */
  timeZone: string;
  logLevel: string;
  bodyLimitBytes: number;
  /** The largest file sent in a chat (PARLEY_ATTACHMENT_MAX_BYTES); a topic may set a lower limit. */
  attachmentMaxBytes: number;
  recentSessionHours: number;
  /** Polled lists are answered from a per-caller cache while no data changed; 0 turns it off. */
  responseCacheSeconds: number;
  responseCacheEntries: number;
  responseCacheBytes: number;
  /** Most memory the kept JSON of single sessions takes (ChatSessionsForUser's computed answers); 0: off. */
  itemCacheBytes: number;
  /** Visitor API limits per minute: all calls per address, new sessions per address, writes per session. */
  visitorRequestsPerMinute: number;
  pushStreamsPerUser: number;
  pushStreamsPerVisitor: number;
  /** How long a client may take to send its whole request (headers and body); 0: no limit. */
  requestTimeoutMs: number;
  /** Most connections open at once from one client address (not applied behind a trusted proxy); 0: no limit. */
  connectionsPerAddress: number;
  /** Largest body of a call that runs before any credential is checked (log-ins, opening a visitor session). */
  anonymousBodyLimitBytes: number;
  /** Log-in calls per client address, counted before their body is read. */
  loginRequestsPerMinute: number;
  visitorSessionsPerMinute: number;
  visitorWritesPerMinute: number;
  /** Trust X-Forwarded-For from a proxy in front (for the visitor's address and its rate limits). */
  trustProxy: boolean;
  /** Push streams: heartbeat interval, and how much a slow client may have unread before it is told to resync. */
  pushHeartbeatSeconds: number;
  pushMaxBufferBytes: number;
  /** How often an agent push stream's credential is verified again (and its user and roles reloaded). */
  pushRecheckSeconds: number;
  /** How often the time-driven rules run (0: never, e.g. for tests that sweep by hand). */
  sweepSeconds: number;
  /** How often the report facts of changed sessions are rewritten in the background (0: only when a report asks). */
  reportRefreshSeconds: number;
  /** The reports' in-memory copy of the facts: 0 loads it in the background and keeps it; else let go after so many idle minutes. */
  reportMemoryIdleMinutes: number;
  /** How often routing looks again without being told of a change (a safety net: changes kick it at once). */
  routingSafetySeconds: number;
  sweep: SweepSettings;
  /** Fill a fresh database with demo data on `serve`. */
  demo: boolean;
  auth: AuthSettings;
  webhooks: WebhookSettings;
  /** Undefined when PARLEY_SMTP_URL is not set: mail is off and nothing is queued. */
  mail: MailSettings | undefined;
  /** Undefined when PARLEY_OIDC_ISSUER is not set: the console signs in with passwords only. */
  oidc: OidcSettings | undefined;
}

/** Outgoing webhooks: how long a receiver may take, the retry back-off (first delay, cap), the look-again timer. */
export interface WebhookSettings {
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
}

/** E-mail over SMTP: server, sender, retry back-off and how many attempts before a mail counts as failed. */
export interface MailSettings {
  smtpUrl: string;
  from: string;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  pollMs: number;
  /** Sent and failed mail older than this is removed; 0 keeps it. */
  retentionHours: number;
}

/** Single sign-on for the console (OpenID Connect, authorization code with PKCE). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The callback URL registered at the provider; unset: this server's own /auth/oidc/callback as the browser reached it. */
  redirectUrl: string | undefined;
  scopes: string;
  /** The claim whose value is the Parley user name (`email` is taken only when the provider says it is verified). */
  userClaim: string;
  /** A user name unknown to Parley becomes a new user (never an administrator) instead of being refused. */
  createUsers: boolean;
  /** What the console's button says. */
  displayName: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const int = (env: Env, name: string, fallback: number, min = 0, max = 2 ** 31 - 1) => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not '${raw}'`);
  return n;
};

const bool = (env: Env, name: string, fallback: boolean) => {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not '${env[name]}'`);
};

export function loadConfig(env: Env = process.env): Config {
  const zoneName = env.PARLEY_TIMEZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const zone = resolveTimeZone(zoneName);
  if (!zone) throw new ConfigError(`PARLEY_TIMEZONE '${zoneName}' is not a known time zone`);
  const databaseUrl = env.DATABASE_URL || 'sqlite:./data/parley.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, not '${databaseUrl.replace(/\/\/[^@]*@/, '//***@')}'`);
  }
  const issuer = env.PARLEY_JWT_ISSUER;
  const audience = env.PARLEY_JWT_AUDIENCE ?? '';
  if (issuer && !env.PARLEY_JWKS_URL && !env.PARLEY_JWKS_FILE) {
    throw new ConfigError('PARLEY_JWT_ISSUER needs PARLEY_JWKS_URL or PARLEY_JWKS_FILE to verify tokens against');
  }
  // An issuer's tokens are meant for many services; without an audience, one minted for any of them would log in here.
  if (issuer && !audience) {
    throw new ConfigError('PARLEY_JWT_ISSUER needs PARLEY_JWT_AUDIENCE: the aud that tokens for Parley carry');
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databasePoolSize: int(env, 'PARLEY_DATABASE_POOL_SIZE', 10, 1, 1000),
    databaseTimeouts: {
      connectMs: int(env, 'PARLEY_DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
      statementMs: int(env, 'PARLEY_DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
      sqliteBusyWaitMs: int(env, 'PARLEY_SQLITE_BUSY_WAIT_MS', 10_000, 0, 600_000),
    },
    databaseStartupWaitSeconds: int(env, 'PARLEY_DATABASE_STARTUP_WAIT_SECONDS', 60, 0, 86_400),
    shutdownTimeoutSeconds: int(env, 'PARLEY_SHUTDOWN_TIMEOUT_SECONDS', 10, 0, 3600),
    shutdownLingerMs: int(env, 'PARLEY_SHUTDOWN_LINGER_MS', 2000, 0, 3_600_000),
    minPasswordLength: int(env, 'PARLEY_MIN_PASSWORD_LENGTH', 8, 1, 1024),
    timeZone: zone.iana,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: int(env, 'PARLEY_BODY_LIMIT', 1_048_576, 1024),
    recentSessionHours: int(env, 'PARLEY_RECENT_SESSION_HOURS', 8),
    responseCacheSeconds: int(env, 'PARLEY_RESPONSE_CACHE_SECONDS', 30),
    responseCacheEntries: int(env, 'PARLEY_RESPONSE_CACHE_ENTRIES', 2000),
    responseCacheBytes: int(env, 'PARLEY_RESPONSE_CACHE_MB', 64, 0, 65536) * 1024 * 1024,
    itemCacheBytes: int(env, 'PARLEY_ITEM_CACHE_MB', 64, 0, 65536) * 1024 * 1024,
    demo: bool(env, 'PARLEY_DEMO', true),
    attachmentMaxBytes: int(env, 'PARLEY_ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    visitorRequestsPerMinute: int(env, 'PARLEY_VISITOR_REQUESTS_PER_MINUTE', 600),
    pushStreamsPerUser: int(env, 'PARLEY_PUSH_STREAMS_PER_USER', 20, 1),
    pushStreamsPerVisitor: int(env, 'PARLEY_PUSH_STREAMS_PER_VISITOR', 4, 1),
    requestTimeoutMs: int(env, 'PARLEY_REQUEST_TIMEOUT_SECONDS', 30, 0, 3600) * 1000,
    connectionsPerAddress: int(env, 'PARLEY_CONNECTIONS_PER_ADDRESS', 256, 0),
    anonymousBodyLimitBytes: int(env, 'PARLEY_ANONYMOUS_BODY_LIMIT', 131_072, 1024),
    loginRequestsPerMinute: int(env, 'PARLEY_LOGIN_REQUESTS_PER_MINUTE', 120),
    visitorSessionsPerMinute: int(env, 'PARLEY_VISITOR_SESSIONS_PER_MINUTE', 20),
    visitorWritesPerMinute: int(env, 'PARLEY_VISITOR_WRITES_PER_MINUTE', 120),
    trustProxy: bool(env, 'PARLEY_TRUST_PROXY', false),
    pushHeartbeatSeconds: int(env, 'PARLEY_PUSH_HEARTBEAT_SECONDS', 20, 1),
    pushMaxBufferBytes: int(env, 'PARLEY_PUSH_MAX_BUFFER_BYTES', 1_048_576, 1024),
    pushRecheckSeconds: int(env, 'PARLEY_PUSH_RECHECK_SECONDS', 60, 1),
    sweepSeconds: int(env, 'PARLEY_SWEEP_SECONDS', 15),
    reportRefreshSeconds: int(env, 'PARLEY_REPORT_REFRESH_SECONDS', 10),
    reportMemoryIdleMinutes: int(env, 'PARLEY_REPORT_MEMORY_IDLE_MINUTES', 0),
    routingSafetySeconds: int(env, 'PARLEY_ROUTING_SAFETY_SECONDS', 2, 1),
    sweep: {
      deadSessionMinutes: int(env, 'PARLEY_DEAD_SESSION_MINUTES', 5),
      idleSessionMinutes: int(env, 'PARLEY_IDLE_SESSION_MINUTES', 60),
      deleteAfterHours: int(env, 'PARLEY_DELETE_AFTER_HOURS', 24 * 90),
      purgeAfterHours: int(env, 'PARLEY_PURGE_AFTER_HOURS', 24 * 91),
      eventRetentionHours: int(env, 'PARLEY_EVENT_RETENTION_HOURS', 24),
      auditRetentionDays: int(env, 'PARLEY_AUDIT_RETENTION_DAYS', 365),
    },
    auth: {
      basicEnabled: bool(env, 'PARLEY_BASIC_AUTH', true),
      ticketHours: int(env, 'PARLEY_TICKET_HOURS', 8, 1),
      webSessionHours: int(env, 'PARLEY_SESSION_HOURS', 12, 1),
      cacheSeconds: int(env, 'PARLEY_AUTH_CACHE_SECONDS', 30),
      requireAppToken: bool(env, 'PARLEY_REQUIRE_APP_TOKEN', false),
      loginFailuresPerMinute: int(env, 'PARLEY_LOGIN_FAILURES_PER_MINUTE', 10),
      ssoUsersPasswordLogin: bool(env, 'PARLEY_OIDC_PASSWORD_LOGIN', true),
      jwt: issuer
        ? {
            issuer,
            jwksUrl: env.PARLEY_JWKS_URL,
            jwksFile: env.PARLEY_JWKS_FILE,
            audience,
            userClaim: env.PARLEY_JWT_USER_CLAIM || 'sub',
          }
        : undefined,
    },
    mail: mailSettings(env),
    oidc: oidcSettings(env),
    webhooks: {
      timeoutMs: int(env, 'PARLEY_WEBHOOK_TIMEOUT_MS', 10_000, 1),
      retryBaseMs: int(env, 'PARLEY_WEBHOOK_RETRY_BASE_MS', 1000, 1),
      retryMaxMs: int(env, 'PARLEY_WEBHOOK_RETRY_MAX_MS', 300_000, 1),
      pollMs: int(env, 'PARLEY_WEBHOOK_POLL_MS', 10_000, 10),
    },
  };
}

function oidcSettings(env: Env): OidcSettings | undefined {
  const issuer = env.PARLEY_OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  if (!/^https?:\/\//.test(issuer)) throw new ConfigError('PARLEY_OIDC_ISSUER must be an https:// URL');
  const clientId = env.PARLEY_OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new ConfigError('PARLEY_OIDC_ISSUER needs PARLEY_OIDC_CLIENT_ID (and PARLEY_OIDC_CLIENT_SECRET)');
  const redirectUrl = env.PARLEY_OIDC_REDIRECT_URL?.trim() || undefined;
  if (redirectUrl && !/^https?:\/\/[^/]+\/auth\/oidc\/callback$/.test(redirectUrl)) {
    throw new ConfigError("PARLEY_OIDC_REDIRECT_URL must be this server's address followed by /auth/oidc/callback");
  }
  return {
    issuer,
    clientId,
    clientSecret: env.PARLEY_OIDC_CLIENT_SECRET ?? '',
    redirectUrl,
    scopes: env.PARLEY_OIDC_SCOPES?.trim() || 'openid profile email',
    userClaim: env.PARLEY_OIDC_USER_CLAIM?.trim() || 'preferred_username',
    createUsers: bool(env, 'PARLEY_OIDC_CREATE_USERS', false),
    displayName: env.PARLEY_OIDC_NAME?.trim() || 'single sign-on',
  };
}

function mailSettings(env: Env): MailSettings | undefined {
  const smtpUrl = env.PARLEY_SMTP_URL?.trim();
  if (!smtpUrl) return undefined;
  if (!/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError('PARLEY_SMTP_URL must start with smtp:// or smtps://');
  const from = env.PARLEY_MAIL_FROM?.trim();
  if (!from) throw new ConfigError('PARLEY_SMTP_URL needs PARLEY_MAIL_FROM, the sender address');
  return {
    smtpUrl,
    from,
    timeoutMs: int(env, 'PARLEY_MAIL_TIMEOUT_MS', 30_000, 1),
    retryBaseMs: int(env, 'PARLEY_MAIL_RETRY_BASE_MS', 60_000, 1),
    retryMaxMs: int(env, 'PARLEY_MAIL_RETRY_MAX_MS', 3_600_000, 1),
    maxAttempts: int(env, 'PARLEY_MAIL_MAX_ATTEMPTS', 10, 1),
    pollMs: int(env, 'PARLEY_MAIL_POLL_MS', 10_000, 10),
    retentionHours: int(env, 'PARLEY_MAIL_RETENTION_HOURS', 24 * 30),
  };
}
