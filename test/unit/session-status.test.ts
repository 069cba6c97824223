// Unit tests for the session life cycle: src/domain/session-status.ts (the transition table, pathBetween) and
// transition() in src/domain/sessions/life-cycle.ts (the fields each event stamps or clears). The expected table
// is written out here on its own, from the life cycle of the spec (§4, §5.4, §5.9) and the meaning of each
// event, and compared with next() for every status × every event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSession } from '../../src/domain/defaults.ts';
import { ChatSessionFlags, ChatSessionStatus as S, type ChatSessionStatusName } from '../../src/domain/enums.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { isActive, isEnded, isWaiting, next, pathBetween, SESSION_EVENTS, type SessionEvent } from '../../src/domain/session-status.ts';
import { CUSTOMER_TYPING, transition } from '../../src/domain/sessions/life-cycle.ts';
import type { Session } from '../../src/domain/types.ts';

const STATUSES = Object.keys(S) as ChatSessionStatusName[];
const name = (status: number) => STATUSES.find((n) => S[n] === status) ?? String(status);

/** Every event the life cycle knows, in no particular order (compared as a set with SESSION_EVENTS). */
const EVENTS: SessionEvent[] = [
  'showFaq',
  'enqueue',
  'offerOfflineForm',
  'pickUp',
  'customerMessage',
  'agentMessage',
  'end',
  'leaveQueue',
  'closeIdle',
  'reopen',
  'submitOfflineForm',
  'markDeleted',
  'remove',
];

/**
 * From each status, where each event leads; an event left out is refused. 'same' keeps the status.
 * - Invalid is a session not placed yet: it may go wherever a new session may start (form, FAQ, queue, offline
 *   form), a bot may answer it, the customer may leave.
 * - Waiting (PreChatForm, Faq, InQueue): a customer writing changes nothing; a bot's answer takes it out of the
 *   queue (UserLast, skipping the pre-chat form); the customer leaving closes it from the queue.
 * - Only a queued session is picked up; the agent then owes the first answer (CustomerLast).
 * - Active (CustomerLast, UserLast): alternates by who wrote last; ends (Finished), idles out (Closed); a bot
 *   handing over puts it back in the queue, or the offline form when nobody is present.
 * - OfflineForm: the customer may fill it in (RequestPosted) or leave; it is never queued again.
 * - Ended (Finished, Closed, ClosedFromQueue, RequestPosted): only retention (Deleted); a customer coming back
 *   reopens a Finished or Closed chat. Deleted is final.
 * - Any status: a manager removes the session (DeleteChatSessionEntity); the event reports it as Deleted.
 */
const EXPECTED: Record<ChatSessionStatusName, Partial<Record<SessionEvent, ChatSessionStatusName | 'same'>>> = {
  Invalid: {
    showFaq: 'Faq',
    enqueue: 'InQueue',
    offerOfflineForm: 'OfflineForm',
    customerMessage: 'same',
    agentMessage: 'UserLast',
    leaveQueue: 'ClosedFromQueue',
    remove: 'Deleted',
  },
  PreChatForm: {
    showFaq: 'Faq',
    enqueue: 'InQueue',
    offerOfflineForm: 'OfflineForm',
    customerMessage: 'same',
    agentMessage: 'UserLast',
    leaveQueue: 'ClosedFromQueue',
    remove: 'Deleted',
  },
  Faq: {
    enqueue: 'InQueue',
    offerOfflineForm: 'OfflineForm',
    customerMessage: 'same',
    agentMessage: 'UserLast',
    leaveQueue: 'ClosedFromQueue',
    remove: 'Deleted',
  },
  OfflineForm: {
    offerOfflineForm: 'same',
    customerMessage: 'same',
    leaveQueue: 'ClosedFromQueue',
    submitOfflineForm: 'RequestPosted',
    remove: 'Deleted',
  },
  InQueue: {
    enqueue: 'same',
    offerOfflineForm: 'OfflineForm',
    pickUp: 'CustomerLast',
    customerMessage: 'same',
    agentMessage: 'UserLast',
    leaveQueue: 'ClosedFromQueue',
    remove: 'Deleted',
  },
  CustomerLast: {
    enqueue: 'InQueue',
    offerOfflineForm: 'OfflineForm',
    customerMessage: 'same',
    agentMessage: 'UserLast',
    end: 'Finished',
    closeIdle: 'Closed',
    remove: 'Deleted',
  },
  UserLast: {
    enqueue: 'InQueue',
    offerOfflineForm: 'OfflineForm',
    customerMessage: 'CustomerLast',
    agentMessage: 'same',
    end: 'Finished',
    closeIdle: 'Closed',
    remove: 'Deleted',
  },
  Finished: { reopen: 'CustomerLast', markDeleted: 'Deleted', remove: 'Deleted' },
  Deleted: { remove: 'same' },
  Closed: { reopen: 'CustomerLast', markDeleted: 'Deleted', remove: 'Deleted' },
  RequestPosted: { markDeleted: 'Deleted', remove: 'Deleted' },
  ClosedFromQueue: { markDeleted: 'Deleted', remove: 'Deleted' },
};

test('the table covers all 12 statuses and the 13 events', () => {
  assert.equal(STATUSES.length, 12);
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...STATUSES].sort());
  assert.deepEqual([...SESSION_EVENTS].sort(), [...EVENTS].sort());
});

test('next(): every status × every event (144 pairs) as the life cycle describes', () => {
  const wrong: string[] = [];
  for (const from of STATUSES) {
    for (const event of EVENTS) {
      const want = EXPECTED[from][event];
      const expected = want === undefined ? undefined : want === 'same' ? S[from] : S[want];
      const actual = next(S[from], event);
      if (actual !== expected)
        wrong.push(`${from} --${event}--> ${actual === undefined ? 'refused' : name(actual)}, expected ${expected === undefined ? 'refused' : name(expected)}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('next(): statuses outside the enumeration are refused for every event', () => {
  for (const event of EVENTS) {
    for (const bogus of [-1, 12, 99]) assert.equal(next(bogus, event), undefined, `${bogus} ${event}`);
  }
});

test('the groups: waiting, active and ended statuses', () => {
  const pick = (f: (s: number) => boolean) => STATUSES.filter((n) => f(S[n])).sort();
  assert.deepEqual(pick(isWaiting), ['Faq', 'InQueue', 'Invalid', 'PreChatForm']);
  assert.deepEqual(pick(isActive), ['CustomerLast', 'UserLast']);
  assert.deepEqual(pick(isEnded), ['Closed', 'ClosedFromQueue', 'Deleted', 'Finished', 'RequestPosted']);
  // OfflineForm is neither: the customer is still there, but nobody will pick the session up.
  assert.deepEqual(
    STATUSES.filter((n) => !isWaiting(S[n]) && !isActive(S[n]) && !isEnded(S[n])),
    ['OfflineForm'],
  );
  // Deleted and ended statuses lead nowhere but to Deleted (and reopening a Finished or Closed chat).
  for (const n of pick(isEnded)) {
    for (const event of EVENTS) {
      const to = next(S[n], event);
      if (to !== undefined) assert.ok(to === S.Deleted || (event === 'reopen' && to === S.CustomerLast), `${n} ${event}`);
    }
  }
});

test('pathBetween: one step when the table has one', () => {
  assert.deepEqual(pathBetween(S.InQueue, S.CustomerLast), ['pickUp']);
  assert.deepEqual(pathBetween(S.CustomerLast, S.UserLast), ['agentMessage']);
  assert.deepEqual(pathBetween(S.UserLast, S.CustomerLast), ['customerMessage']);
  assert.deepEqual(pathBetween(S.UserLast, S.Finished), ['end']);
  assert.deepEqual(pathBetween(S.CustomerLast, S.Closed), ['closeIdle']);
  assert.deepEqual(pathBetween(S.InQueue, S.ClosedFromQueue), ['leaveQueue']);
  assert.deepEqual(pathBetween(S.InQueue, S.OfflineForm), ['offerOfflineForm']);
  assert.deepEqual(pathBetween(S.OfflineForm, S.RequestPosted), ['submitOfflineForm']);
  assert.deepEqual(pathBetween(S.PreChatForm, S.Faq), ['showFaq']);
  assert.deepEqual(pathBetween(S.Faq, S.InQueue), ['enqueue']);
  assert.deepEqual(pathBetween(S.Finished, S.CustomerLast), ['reopen']);
  assert.deepEqual(pathBetween(S.Closed, S.Deleted), ['markDeleted']);
  assert.deepEqual(pathBetween(S.UserLast, S.InQueue), ['enqueue']);
});

test('pathBetween: a queued session saved as active or ended is a pick-up and one more step', () => {
  // InQueue → UserLast is an agent picking up and answering (the doc comment's own example), not a bot's
  // answer: a save by an agent must make an owner and stamp WhenStarted.
  assert.deepEqual(pathBetween(S.InQueue, S.UserLast), ['pickUp', 'agentMessage']);
  assert.deepEqual(pathBetween(S.InQueue, S.Finished), ['pickUp', 'end']);
  assert.deepEqual(pathBetween(S.InQueue, S.Closed), ['pickUp', 'closeIdle']);
});

test('pathBetween: refused where the life cycle has no such path', () => {
  const refused: Array<[ChatSessionStatusName, ChatSessionStatusName]> = [
    ['Finished', 'InQueue'],
    ['Finished', 'UserLast'],
    ['Closed', 'InQueue'],
    ['ClosedFromQueue', 'InQueue'],
    ['ClosedFromQueue', 'CustomerLast'],
    ['RequestPosted', 'InQueue'],
    ['RequestPosted', 'OfflineForm'],
    ['Deleted', 'Finished'],
    ['Deleted', 'InQueue'],
    ['Deleted', 'CustomerLast'],
    ['OfflineForm', 'InQueue'],
    ['OfflineForm', 'CustomerLast'],
    ['PreChatForm', 'CustomerLast'],
    ['Faq', 'Finished'],
    ['CustomerLast', 'ClosedFromQueue'],
    ['UserLast', 'RequestPosted'],
    ['InQueue', 'Deleted'],
    ['InQueue', 'RequestPosted'],
    ['Invalid', 'Finished'],
  ];
  for (const [from, to] of refused) assert.equal(pathBetween(S[from], S[to]), undefined, `${from} → ${to}`);
});

test('pathBetween: every path it offers is made of allowed steps that end where asked', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const path = pathBetween(S[from], S[to]);
      if (!path) continue;
      assert.ok(path.length === 1 || (path.length === 2 && path[0] === 'pickUp'), `${from} → ${to}: ${path}`);
      let at: number | undefined = S[from];
      for (const event of path) at = at === undefined ? undefined : next(at, event);
      assert.equal(at, S[to], `${from} → ${to} via ${path}`);
    }
  }
});

// transition(): the fields events imply.
const NOW = new Date('2026-03-02T10:00:00Z');
const EARLIER = new Date('2026-03-02T09:00:00Z');
const session = (status: number, extra: Partial<Session> = {}): Session => ({ ...defaultSession(EARLIER), id: 42, topicId: 1, status, ...extra });
const ALL_TYPING = ChatSessionFlags.UserIsTyping | CUSTOMER_TYPING;

test('transition: pickUp sets the status and WhenStarted', () => {
  const out = transition(session(S.InQueue), 'pickUp', NOW);
  assert.equal(out.status, S.CustomerLast);
  assert.equal(out.whenStarted, NOW);
  assert.equal(out.whenEnded, null);
});

test('transition: end, closeIdle, leaveQueue and submitOfflineForm stamp WhenEnded', () => {
  for (const [from, event, to] of [
    [S.UserLast, 'end', S.Finished],
    [S.CustomerLast, 'closeIdle', S.Closed],
    [S.InQueue, 'leaveQueue', S.ClosedFromQueue],
    [S.OfflineForm, 'submitOfflineForm', S.RequestPosted],
  ] as const) {
    const out = transition(session(from, { whenStarted: EARLIER }), event, NOW);
    assert.equal(out.status, to, event);
    assert.equal(out.whenEnded, NOW, event);
    assert.equal(out.whenStarted, EARLIER, `${event} keeps WhenStarted`);
  }
});

test('transition: reopen clears WhenEnded; other events leave the dates alone', () => {
  const out = transition(session(S.Finished, { whenStarted: EARLIER, whenEnded: EARLIER, userId: 7 }), 'reopen', NOW);
  assert.equal(out.status, S.CustomerLast);
  assert.equal(out.whenEnded, null);
  assert.equal(out.whenStarted, EARLIER);
  assert.equal(out.userId, 7, 'the chat comes back to its agent');
  const marked = transition(session(S.Finished, { whenStarted: EARLIER, whenEnded: EARLIER }), 'markDeleted', NOW);
  assert.equal(marked.status, S.Deleted);
  assert.equal(marked.whenEnded, EARLIER);
  const answered = transition(session(S.CustomerLast, { whenStarted: EARLIER }), 'agentMessage', NOW);
  assert.equal(answered.whenStarted, EARLIER);
  assert.equal(answered.whenEnded, null);
});

test('transition: leaving the active statuses clears Rank, TransferTo and the typing flags', () => {
  const busy = (status: number) => session(status, { userId: 7, rank: 3, transferToId: 9, flags: ALL_TYPING, whenStarted: EARLIER });
  for (const [from, event] of [
    [S.UserLast, 'end'],
    [S.CustomerLast, 'closeIdle'],
    [S.UserLast, 'enqueue'],
    [S.CustomerLast, 'offerOfflineForm'],
  ] as const) {
    const out = transition(busy(from), event, NOW);
    assert.equal(out.rank, 0, event);
    assert.equal(out.transferToId, null, event);
    assert.equal(out.flags & ALL_TYPING, 0, event);
  }
  // Staying active keeps them (typing flags are cleared by the message that was written, not by the status).
  for (const [from, event] of [
    [S.UserLast, 'customerMessage'],
    [S.CustomerLast, 'agentMessage'],
  ] as const) {
    const out = transition(busy(from), event, NOW);
    assert.equal(out.rank, 3, event);
    assert.equal(out.transferToId, 9, event);
    assert.equal(out.flags, ALL_TYPING, event);
    assert.equal(out.userId, 7, event);
  }
});

test('transition: an ended chat keeps its agent (for the record), enqueue and the offline form clear the owner', () => {
  assert.equal(transition(session(S.UserLast, { userId: 7, rank: 1 }), 'end', NOW).userId, 7);
  assert.equal(transition(session(S.UserLast, { userId: 7, rank: 1 }), 'enqueue', NOW).userId, null);
  assert.equal(transition(session(S.InQueue, { userId: 7 }), 'enqueue', NOW).userId, null);
  assert.equal(transition(session(S.CustomerLast, { userId: 7, rank: 1 }), 'offerOfflineForm', NOW).userId, null);
});

test('transition: returns a new session and leaves its input alone', () => {
  const before = session(S.UserLast, { userId: 7, rank: 2, transferToId: 9, flags: ALL_TYPING });
  const copy = structuredClone(before);
  const out = transition(before, 'end', NOW);
  assert.notEqual(out, before);
  assert.deepEqual(before, copy);
});

test('transition: an event the table refuses throws a DomainError "conflict" naming the session and event', () => {
  for (const [from, event] of [
    [S.Finished, 'enqueue'],
    [S.Finished, 'pickUp'],
    [S.CustomerLast, 'pickUp'],
    [S.Deleted, 'reopen'],
    [S.Deleted, 'markDeleted'],
    [S.ClosedFromQueue, 'reopen'],
    [S.OfflineForm, 'enqueue'],
    [S.InQueue, 'end'],
    [S.RequestPosted, 'customerMessage'],
  ] as const) {
    assert.throws(
      () => transition(session(from), event, NOW),
      (e: unknown) => {
        assert.ok(e instanceof DomainError, `${name(from)} ${event}`);
        assert.equal(e.code, 'conflict');
        assert.match(e.message, new RegExp(`42.*${event}`));
        return true;
      },
    );
  }
});

test('transition agrees with next() for all 144 pairs: allowed ones move to next(), refused ones throw', () => {
  for (const from of STATUSES) {
    for (const event of EVENTS) {
      const to = next(S[from], event);
      if (to === undefined) assert.throws(() => transition(session(S[from]), event, NOW), DomainError, `${from} ${event}`);
      else assert.equal(transition(session(S[from]), event, NOW).status, to, `${from} ${event}`);
    }
  }
});
