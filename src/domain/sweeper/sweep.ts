// The time-driven rules, run every few seconds by one instance at a time (see ChatStore.exclusively): dead and
// idle chats close, abandoned queue entries close, unanswered chats raise their alert level and notify, ended
// sessions are marked Deleted and later purged. Each change is a compare-and-set, so a second sweeper racing
// this one (or an agent answering at that moment) cannot apply a change twice or undo a newer one.
import { DomainError } from '../errors.ts';
import { ChatMessageSpecialType as Special, ChatSessionStatus as S } from '../enums.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { SessionEvent } from '../session-status.ts';
import type { Session } from '../types.ts';
import { persist, record, specialMessage, transition } from '../sessions/life-cycle.ts';
import { raiseAlerts } from './alerts.ts';
import type { SweepSettings } from './sweep-settings.ts';

const BATCH = 200;
const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface SweepReport {
  closedDead: number;
  closedIdle: number;
  leftQueue: number;
  alerts: number;
  deleted: number;
  purged: number;
}

export async function sweep(deps: DomainDeps, settings: SweepSettings): Promise<SweepReport | undefined> {
  let report: SweepReport | undefined;
  await deps.store.exclusively('parley-sweeper', async (store) => {
    const now = deps.clock.now();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const close = (statuses: number[], field: 'whenFetched' | 'whenIdle', minutes: number, event: SessionEvent, special: number, text: string) =>
      minutes > 0 ? eachStale(store, statuses, field, ago(minutes * MINUTE), (s, tx) => end(deps, tx, s, event, special, text)) : 0;
    report = {
      leftQueue: await close(
        [S.PreChatForm, S.Faq, S.InQueue, S.OfflineForm],
        'whenFetched',
        settings.deadSessionMinutes,
        'leaveQueue',
        Special.ClosedByCustomer,
        'The customer left before anyone answered',
      ),
      closedDead: await close(
        [S.CustomerLast, S.UserLast],
        'whenFetched',
        settings.deadSessionMinutes,
        'closeIdle',
        Special.ClosedByCustomer,
        "The customer's chat window stopped responding",
      ),
      closedIdle: await close(
        [S.CustomerLast, S.UserLast],
        'whenIdle',
        settings.idleSessionMinutes,
        'closeIdle',
        Special.ClosedByIdle,
        'Closed after a long silence',
      ),
      alerts: await raiseAlerts(deps, store, now),
      deleted:
        settings.deleteAfterHours > 0
          ? await eachStale(
              store,
              [S.Finished, S.Closed, S.ClosedFromQueue, S.RequestPosted],
              'whenEnded',
              ago(settings.deleteAfterHours * HOUR),
              async (s, tx) => {
                await persist(deps, tx, s, transition(s, 'markDeleted', now), null);
              },
            )
          : 0,
      purged:
        settings.purgeAfterHours > 0
          ? await eachStale(store, [S.Deleted], 'whenEnded', ago(settings.purgeAfterHours * HOUR), async (s, tx) => {
              await tx.sessions.remove(s.id);
              await record(tx, 'chatsession.changed', { ...s, status: S.Deleted }, null, now, { purged: true, oldStatus: S.Deleted, newStatus: S.Deleted });
            })
          : 0,
    };
    if (settings.eventRetentionHours > 0) await store.events.removeOlderThan(ago(settings.eventRetentionHours * HOUR));
    if (settings.auditRetentionDays > 0) await store.audit.removeOlderThan(ago(settings.auditRetentionDays * 24 * HOUR));
  });
  return report;
}

/** Applies `change` to each stale session in its own short transaction; a session someone else moved is skipped. */
async function eachStale(
  store: ChatStore,
  statuses: number[],
  field: 'whenFetched' | 'whenIdle' | 'whenEnded',
  before: Date,
  change: (s: Session, tx: ChatStore) => Promise<void>,
) {
  let done = 0;
  for (const candidate of await store.sessions.staleSince(statuses, field, before, BATCH)) {
    try {
      await store.transaction(async (tx) => {
        const s = await tx.sessions.byIdForUpdate(candidate.id);
        if (s && s.status === candidate.status && s[field]?.getTime() === candidate[field]?.getTime()) await change(s, tx);
      });
      done++;
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'conflict')) throw err;
    }
  }
  return done;
}

async function end(deps: DomainDeps, store: ChatStore, s: Session, event: SessionEvent, special: number, text: string) {
  const saved = await persist(deps, store, s, transition(s, event, deps.clock.now()), null);
  await specialMessage(deps, store, saved, special, text, '', null);
}
