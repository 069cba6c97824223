// The SMTP connection nodemailer sends through, built from PARLEY_SMTP_URL (smtp://user:password@host:port, or
// smtps:// for TLS from the first byte; plain smtp:// upgrades with STARTTLS when the server offers it).
import nodemailer from 'nodemailer';
import type { MailSettings } from '../config.ts';

export function smtpTransport(settings: MailSettings) {
  const url = new URL(settings.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username),
    pass = decodeURIComponent(url.password);
  return nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: user ? { user, pass } : undefined,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    // One connection reused for a batch, closed when idle.
    pool: true,
    maxConnections: 1,
  });
}

export type SmtpTransport = ReturnType<typeof smtpTransport>;
