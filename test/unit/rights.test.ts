// Unit tests for src/domain/rights.ts: topic membership (any of the four roles), what administrators,
// managers, responders, listeners/notifiers and outsiders may do, and the ETableRight masks they get.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETableRight } from '../../src/domain/enums.ts';
import {
  type Actor,
  canDeleteSession,
  canManageTopic,
  canSeeSession,
  canSeeTopic,
  canWriteSession,
  isMember,
  type Role,
  sessionTableRight,
  topicTableRight,
} from '../../src/domain/rights.ts';

const user: Actor = { id: 10, userName: 'agent', fullName: 'Agent Smith', isAdmin: false };
const admin: Actor = { id: 1, userName: 'admin', fullName: 'Admin', isAdmin: true };

const NONE: Role = { canListen: false, canRespond: false, canManage: false, canNotify: false };
const role = (r: Partial<Role>): Role => ({ ...NONE, ...r });
const listener = role({ canListen: true });
const notifier = role({ canNotify: true });
const responder = role({ canRespond: true });
const manager = role({ canManage: true });

const has = (mask: number, right: number) => (mask & right) === right;

test('membership: any one of the four roles makes a member; none of them (or no row) does not', () => {
  for (const r of [listener, notifier, responder, manager, role({ canListen: true, canManage: true })]) assert.equal(isMember(r), true);
  assert.equal(isMember(NONE), false);
  assert.equal(isMember(undefined), false);
});

test('administrators see and manage every topic and session, member or not', () => {
  for (const r of [undefined, NONE, listener]) {
    assert.equal(canSeeTopic(admin, r), true);
    assert.equal(canManageTopic(admin, r), true);
    assert.equal(canSeeSession(admin, r), true);
    assert.equal(canWriteSession(admin, r), true);
    assert.equal(canDeleteSession(admin, r), true);
    assert.equal(sessionTableRight(admin, r), ETableRight.FULL);
    assert.equal(topicTableRight(admin, r), ETableRight.FULL);
  }
});

test('a non-member (no row, or a row without roles) can do nothing', () => {
  for (const r of [undefined, NONE]) {
    assert.equal(canSeeTopic(user, r), false);
    assert.equal(canManageTopic(user, r), false);
    assert.equal(canWriteSession(user, r), false);
    assert.equal(canDeleteSession(user, r), false);
    assert.equal(sessionTableRight(user, r), ETableRight.None);
    assert.equal(topicTableRight(user, r), ETableRight.None);
  }
});

test('listeners and notifiers see sessions and topics, read-only', () => {
  for (const r of [listener, notifier]) {
    assert.equal(canSeeSession(user, r), true);
    assert.equal(canWriteSession(user, r), false);
    assert.equal(canDeleteSession(user, r), false);
    assert.equal(canManageTopic(user, r), false);
    assert.equal(sessionTableRight(user, r), ETableRight.Select);
    assert.equal(topicTableRight(user, r), ETableRight.Select);
  }
});

test('responders read, update and create sessions but do not delete them; topics stay read-only', () => {
  const mask = sessionTableRight(user, responder);
  assert.equal(mask, ETableRight.URI);
  assert.ok(has(mask, ETableRight.Select) && has(mask, ETableRight.Update) && has(mask, ETableRight.Insert));
  assert.equal(mask & ETableRight.Delete, 0);
  assert.equal(canWriteSession(user, responder), true);
  assert.equal(canDeleteSession(user, responder), false);
  assert.equal(topicTableRight(user, responder), ETableRight.Select);
});

test('managers get full rights on sessions; on topics read and update, never create or delete', () => {
  assert.equal(sessionTableRight(user, manager), ETableRight.FULL);
  assert.equal(canDeleteSession(user, manager), true);
  assert.equal(canWriteSession(user, manager), true);
  assert.equal(canManageTopic(user, manager), true);
  const topicMask = topicTableRight(user, manager);
  assert.equal(topicMask, ETableRight.UR);
  assert.equal(topicMask & (ETableRight.Insert | ETableRight.Delete), 0);
});

test('roles combine: the strongest one decides', () => {
  assert.equal(sessionTableRight(user, role({ canListen: true, canRespond: true })), ETableRight.URI);
  assert.equal(sessionTableRight(user, role({ canRespond: true, canManage: true })), ETableRight.FULL);
  assert.equal(topicTableRight(user, role({ canNotify: true, canManage: true })), ETableRight.UR);
});

test('every mask a caller can get is a subset of FULL, and a stronger role never has fewer rights', () => {
  const order = [undefined, listener, responder, manager];
  let previous: number = ETableRight.None;
  for (const r of order) {
    const mask = sessionTableRight(user, r);
    assert.equal(mask & ~ETableRight.FULL, 0);
    assert.equal(mask & previous, previous, 'a stronger role lost a right');
    previous = mask;
  }
});
