// Sends queued mail after commit, off every request's path: woken by commits, by a slow timer (mail another
// instance queued) and when a retry falls due. Each mail is claimed with a lease, so one instance at a time sends
// it and a sender that died leaves it to the next; failures wait with exponential back-off, and after the last
// attempt (or an SMTP 5xx refusal) the mail is marked failed, where `parley mail list` and the metric show it.
import type { MailSettings } from '../config.ts';
import type { Mail } from '../storage/mail.repository.ts';
import type { ParleyStore } from '../storage/store.ts';
import { isPlainAddress } from './addresses.ts';
import { smtpTransport, type SmtpTransport } from './smtp-transport.ts';

export interface MailLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * A claim lasts this many attempt timeouts (connect, greeting, the SMTP steps), so it outlives one attempt: a mail
 * is claimed just before it is sent, one at a time, and a sender that died holds it no longer than this.
 */
const LEASE_TIMEOUTS = 4;
const RECHECK_MS = 100;
/** Old sent and failed mail is removed at most this often (per instance). */
const PRUNE_EVERY_MS = 3_600_000;

export class MailSender {
  private started = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private timer: { at: number; handle: NodeJS.Timeout } | undefined;
  private prunedAt = -Infinity;
  private readonly transport: SmtpTransport;

  constructor(
    private readonly store: ParleyStore,
    private readonly settings: MailSettings,
    private readonly log: MailLog,
    private readonly now: () => number = Date.now,
  ) {
    this.transport = smtpTransport(settings);
  }

  start() {
    if (this.started) return;
    this.started = true;
    this.store.onEventsCommitted(() => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.settings.pollMs).unref();
    this.wake();
  }

  /** Stops for good; a mail cut off in flight is not counted as an attempt, and is released for the next sender. */
  async stop() {
    this.stopped = true;
    clearInterval(this.pollTimer);
    if (this.timer) clearTimeout(this.timer.handle);
    this.transport.close();
    await this.loop;
  }

  /** Looks for work soon; cheap and synchronous, so a commit can call it. Wake-ups coalesce. */
  wake() {
    if (this.stopped || !this.started) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  private async run() {
    // Let the request whose commit woke us answer first.
    await new Promise((resolve) => setImmediate(resolve));
    do {
      this.again = false;
      try {
        await this.pass();
      } catch (err) {
        this.log.error({ err }, 'mail: could not read the mail queue');
      }
    } while (this.again && !this.stopped);
  }

  /** Sends what is due, one mail at a time, then sleeps until the next mail falls due. */
  private async pass() {
    while (!this.stopped) {
      const now = this.now();
      const [mail] = await this.store.mail.claimDue(new Date(now), new Date(now + LEASE_TIMEOUTS * this.settings.timeoutMs), 1);
      if (!mail) break;
      await this.send(mail);
    }
    if (this.stopped) return;
    await this.prune();
    const next = await this.store.mail.nextDue(new Date(this.now()));
    // Due now yet not claimable: another instance is claiming it this instant; look again shortly, not in a spin.
    if (next) this.wakeAt(Math.max(next.getTime(), this.now() + RECHECK_MS));
  }

  /** Drops sent and failed mail past PARLEY_MAIL_RETENTION_HOURS: it holds customers' addresses and words. */
  private async prune() {
    const now = this.now();
    if (this.settings.retentionHours <= 0 || now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.store.mail.removeFinishedBefore(new Date(now - this.settings.retentionHours * 3_600_000));
  }

  private async send(mail: Mail) {
    const error = await this.attempt(mail);
    if (error && this.stopped) {
      await this.store.mail.release(mail.id);
      return;
    }
    if (!error) {
      await this.store.mail.markSent(mail.id, new Date(this.now()));
      return;
    }
    const attempts = mail.attempts + 1;
    const final = error.permanent || attempts >= this.settings.maxAttempts;
    const delay = Math.min(this.settings.retryBaseMs * 2 ** Math.min(attempts - 1, 30), this.settings.retryMaxMs);
    const nextAttemptAt = final ? null : new Date(this.now() + delay);
    await this.store.mail.recordFailure(mail.id, attempts, nextAttemptAt, error.message);
    this.log.warn(
      { mail: mail.id, kind: mail.kind, attempts, retryInMs: final ? undefined : delay, error: error.message },
      final ? 'mail could not be delivered; marked failed' : 'mail delivery failed; will retry',
    );
  }

  /** One SMTP attempt; undefined on success, else why (permanent: the server refused it for good). */
  private async attempt(mail: Mail): Promise<{ message: string; permanent: boolean } | undefined> {
    if (!isPlainAddress(mail.recipientAddress)) return { message: 'not a plain e-mail address', permanent: true };
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: { name: mail.recipientName, address: mail.recipientAddress },
        subject: mail.subject,
        text: mail.body,
        // The same id on every attempt, so a mail sent twice (an answer lost on the way) can be told apart.
        messageId: `<parley-mail-${mail.id}-${mail.createdAt.getTime()}@${senderDomain(this.settings.from)}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      return undefined;
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; message?: string };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      return { message: e.responseCode ? `SMTP ${e.responseCode}: ${e.message}` : (e.code ?? e.message ?? String(err)), permanent };
    }
  }

  /** Wakes at `at` (the earliest of the times asked for wins). */
  private wakeAt(at: number) {
    if (this.stopped || (this.timer && this.timer.at <= at)) return;
    if (this.timer) clearTimeout(this.timer.handle);
    const handle = setTimeout(
      () => {
        this.timer = undefined;
        this.wake();
      },
      Math.max(0, at - this.now()),
    ).unref();
    this.timer = { at, handle };
  }
}

const senderDomain = (from: string) => /@([^\s>]+)/.exec(from)?.[1] ?? 'parley.invalid';
