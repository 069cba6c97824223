// Delivers outbox events to webhooks, after commit and off every request's path: woken when a transaction that
// appended events commits, by a slow timer (events another process wrote) and when a retry falls due. Each hook
// walks the outbox in id order from its cursor; the cursor moves only past a 2xx answer (or past events the hook
// does not take), so an event is never skipped and, once answered 2xx, never sent again. Failures wait with
// exponential back-off and block the hook's later events, keeping its order.
import type { WebhookSettings } from '../config.ts';
import type { StoredEvent } from '../storage/event.repository.ts';
import type { ParleyStore } from '../storage/store.ts';
import { OutboxReader } from '../storage/outbox-reader.ts';
import { isWebhookEvent, type WebhookEventType } from '../domain/events.ts';
import type { KyselyWebhookRepository, Webhook } from '../storage/webhook.repository.ts';
import { SIGNATURE_HEADER, sign } from './signature.ts';
import { buildPayload } from './webhook-payload.ts';

export interface DispatcherLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Outbox events read per query. */
const BATCH = 100;
/** Hooks delivered at once. On PostgreSQL each holds a pooled connection (its row lock) while its request runs. */
const PARALLEL_HOOKS = 4;
/** A gap in the outbox ids waits for the transaction that may still fill it; look again after this long... */
const GAP_RECHECK_MS = 250;
/** ...and treat it as a rolled-back id after this long, even when writers never pause long enough to tell. */
const GAP_GIVE_UP_MS = 60_000;
const USER_AGENT = 'Parley-Webhook/0.1';

type Attempt = { ok: true } | { ok: false; error: string; stopped?: boolean };

/** What one hook's worker knows between its steps. */
interface HookState {
  batch: StoredEvent[];
  /** The cursor `batch` was read after. */
  batchAfter: number;
  /** The read that gave `batch` filled it: more may follow at once. */
  full: boolean;
  /** More events wait behind a gap in the outbox ids that has not settled yet. */
  heldBack: boolean;
}

export class WebhookDispatcher {
  private started = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private again = false;
  private wakes = 0;
  private slotWanted = false;
  private readonly workers = new Map<number, Promise<void>>();
  /** Each hook's reader of the outbox (its wait on a gap in the ids is its own). */
  private readonly readers = new Map<number, OutboxReader>();
  private readonly shutdown = new AbortController();
  private pollTimer: NodeJS.Timeout | undefined;
  private timer: { at: number; handle: NodeJS.Timeout } | undefined;

  constructor(
    private readonly store: ParleyStore,
    private readonly settings: WebhookSettings,
    private readonly log: DispatcherLog,
    private readonly now: () => number = Date.now,
  ) {}

  start() {
    if (this.started) return;
    this.started = true;
    this.store.onEventsCommitted(() => this.wake());
    this.pollTimer = setInterval(() => this.wake(), this.settings.pollMs).unref();
    this.wake();
  }

  /** Stops for good: no new deliveries, requests in flight are cut off (and sent again by the next start). */
  async stop() {
    this.stopped = true;
    clearInterval(this.pollTimer);
    if (this.timer) clearTimeout(this.timer.handle);
    this.shutdown.abort();
    await this.loop;
    await Promise.allSettled([...this.workers.values()]);
  }

  /** Looks for work soon; cheap and synchronous, so a commit can call it. Wake-ups coalesce. */
  wake() {
    if (this.stopped || !this.started) return;
    this.wakes++;
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
    while (!this.stopped) {
      this.again = false;
      try {
        await this.pass();
      } catch (err) {
        this.log.error({ err }, 'webhook delivery: could not read the webhooks or the outbox');
      }
      if (!this.again) break;
    }
  }

  /** Starts a worker for every active hook that has events past its cursor and is not waiting for a retry. */
  private async pass() {
    const hooks = await this.store.webhooks.listActive();
    if (hooks.length === 0) return;
    const last = await this.store.events.lastId();
    const now = this.now();
    for (const hook of hooks) {
      if (hook.deliveredUpTo >= last) continue;
      if (hook.nextAttemptAt && hook.nextAttemptAt.getTime() > now) this.wakeAt(hook.nextAttemptAt.getTime());
      else this.startWorker(hook.id);
    }
  }

  private startWorker(hookId: number) {
    // A running worker reads on until the outbox is exhausted; if it may have missed this wake, it wakes again.
    if (this.workers.has(hookId)) return;
    if (this.workers.size >= PARALLEL_HOOKS) {
      this.slotWanted = true;
      return;
    }
    const wakesAtStart = this.wakes;
    const worker = this.deliverHook(hookId)
      .catch((err) => this.log.error({ err, webhook: hookId }, 'webhook delivery failed unexpectedly'))
      .finally(() => {
        this.workers.delete(hookId);
        if (this.wakes !== wakesAtStart || this.slotWanted) {
          this.slotWanted = false;
          this.wake();
        }
      });
    this.workers.set(hookId, worker);
  }

  private async deliverHook(hookId: number) {
    const st: HookState = { batch: [], batchAfter: -1, full: false, heldBack: false };
    let more = true;
    while (more && !this.stopped) {
      more = (await this.store.webhooks.withDeliveryLock(hookId, (hook, locked) => this.step(hook, locked, st))) ?? false;
    }
  }

  /**
   * One delivery attempt (or one batch of events the hook does not take) while holding the hook. True when
   * there may be more to do right away.
   */
  private async step(hook: Webhook, locked: KyselyWebhookRepository, st: HookState): Promise<boolean> {
    if (hook.nextAttemptAt && hook.nextAttemptAt.getTime() > this.now()) {
      this.wakeAt(hook.nextAttemptAt.getTime());
      return false;
    }
    if (st.batchAfter !== hook.deliveredUpTo || st.batch.length === 0) {
      const read = await this.readerOf(hook.id).read(hook.deliveredUpTo, BATCH);
      st.batch = read.events;
      st.batchAfter = hook.deliveredUpTo;
      st.full = read.events.length === BATCH;
      st.heldBack = read.heldBack;
    }
    let cursor = hook.deliveredUpTo;
    for (const [i, event] of st.batch.entries()) {
      if (!isWebhookEvent(event) || !hook.events.includes(event.type)) {
        cursor = event.id;
        continue;
      }
      const attempt = await this.post(hook, event);
      if (attempt.ok) {
        st.batch = st.batch.slice(i + 1);
        if (!(await locked.advance(hook.id, hook.deliveredUpTo, event.id))) st.batch = [];
        st.batchAfter = event.id;
        return true;
      }
      if (attempt.stopped) return false;
      const failures = hook.failures + 1;
      const delay = Math.min(this.settings.retryBaseMs * 2 ** Math.min(failures - 1, 30), this.settings.retryMaxMs);
      const nextAttemptAt = new Date(this.now() + delay);
      await locked.recordFailure(hook.id, hook.deliveredUpTo, cursor, { failures, nextAttemptAt, lastError: attempt.error });
      this.log.warn(
        { webhook: hook.id, webhookName: hook.name, eventId: event.id, event: event.type, failures, retryInMs: delay, error: attempt.error },
        'webhook delivery failed; will retry',
      );
      this.wakeAt(nextAttemptAt.getTime());
      return false;
    }
    await this.moveCursor(hook, locked, cursor, st);
    st.batch = [];
    if (st.heldBack) {
      // Ids are missing before the next events and may still commit: look again shortly.
      this.wakeAt(this.now() + GAP_RECHECK_MS);
      return false;
    }
    return st.full;
  }

  /** Moves the cursor past events the hook passed over (not its own). */
  private async moveCursor(hook: Webhook, locked: KyselyWebhookRepository, cursor: number, st: HookState) {
    if (cursor === hook.deliveredUpTo) return;
    if (await locked.advance(hook.id, hook.deliveredUpTo, cursor)) st.batchAfter = cursor;
    else st.batch = [];
  }

  private readerOf(hookId: number): OutboxReader {
    let reader = this.readers.get(hookId);
    if (!reader) {
      reader = new OutboxReader(
        this.store.events,
        this.store.capabilities,
        GAP_GIVE_UP_MS,
        (after) => this.log.warn({ webhook: hookId, after }, 'webhook delivery: passing a gap in the outbox ids that stayed open'),
        this.now,
      );
      this.readers.set(hookId, reader);
    }
    return reader;
  }

  /** One POST of one event, signed; resolves (never throws) with the outcome. */
  private async post(hook: Webhook, event: Extract<StoredEvent, { type: WebhookEventType }>): Promise<Attempt> {
    const payload = buildPayload(hook, event);
    const body = JSON.stringify(payload);
    const { url, authorization } = splitCredentials(hook.targetUrl);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.settings.timeoutMs);
    const onShutdown = () => timeout.abort();
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        signal: timeout.signal,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': USER_AGENT,
          'X-SuperOffice-Event': payload.Event,
          'X-SuperOffice-EventId': payload.EventId,
          'X-SuperOffice-Retry': String(hook.failures),
          [SIGNATURE_HEADER]: sign(body, hook.secret),
          ...(authorization ? { Authorization: authorization } : {}),
        },
      });
      // The answer's body means nothing to us; drop it rather than wait for it.
      await res.body?.cancel().catch(() => {});
      return res.status >= 200 && res.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
    } catch (err) {
      if (this.shutdown.signal.aborted) return { ok: false, error: 'shutting down', stopped: true };
      if (timeout.signal.aborted) return { ok: false, error: `no answer within ${this.settings.timeoutMs} ms` };
      return { ok: false, error: describe(err) };
    } finally {
      clearTimeout(timer);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
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

/** fetch refuses URLs with credentials; `https://user:pass@host/` becomes Basic authorization instead. */
function splitCredentials(target: string): { url: string; authorization?: string } {
  const url = new URL(target);
  if (!url.username && !url.password) return { url: target };
  const user = decodeURIComponent(url.username),
    password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** A failure in a few words: fetch wraps the reason (ECONNREFUSED, a bad certificate...) in its `cause`. */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
