// Listens on PostgreSQL's `parley_events` channel (see migration 005) with a connection of its own, and calls
// back on every event any instance commits; reconnects with back-off when the connection drops. Also hears
// revoked credentials (`parley_auth`), so no instance keeps accepting them from its cache.
import pg from 'pg';
import { decodeRevocation, REVOCATION_CHANNEL, type Revocation } from '../storage/revocation-channel.ts';

export interface RevocationListener {
  revoked(r: Revocation): void;
  /** The connection was down: revocations may have been missed, so nothing cached may be trusted. */
  missedSome(): void;
}

export class PgEventListener {
  private client?: pg.Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly onEvent: () => void,
    private readonly onError: (err: unknown) => void,
    private readonly revocations?: RevocationListener,
  ) {}

  async start(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    let listening = false;
    let lost = false;
    // 'error' and 'end' may both come, and late: one reconnect per client. A connection that was listening
    // starts the back-off afresh.
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      client.end().catch(() => {});
      this.reconnect(err, listening ? 0 : attempt + 1);
    };
    client.on('error', (err) => onLost(err));
    client.on('end', () => onLost());
    client.on('notification', (n) => {
      if (n.channel !== REVOCATION_CHANNEL) return this.onEvent();
      const r = decodeRevocation(n.payload ?? '');
      if (r) this.revocations?.revoked(r);
    });
    try {
      await client.connect();
      await client.query('listen parley_events');
      if (this.revocations) await client.query(`listen ${REVOCATION_CHANNEL}`);
      if (this.stopped) {
        // stop() came while this connection was being made
        lost = true;
        await client.end().catch(() => {});
        return;
      }
      listening = true;
      this.client = client;
      this.onEvent(); // catch up on whatever committed while we were not listening
      this.revocations?.missedSome();
    } catch (err) {
      onLost(err);
    }
  }

  /** `attempt`: failed connections in a row so far (0: the last one had been listening). */
  private reconnect(err: unknown, attempt: number) {
    if (this.stopped || this.retry) return;
    if (err) this.onError(err);
    this.client = undefined;
    this.retry = setTimeout(
      () => {
        this.retry = undefined;
        void this.start(attempt);
      },
      Math.min(10_000, 250 * 2 ** attempt),
    );
    this.retry.unref();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
