// The visitor API the website widget uses, through HTTP on every database: a topic's public face, opening a
// session (consent, forms, queue, offline form, bot, CRM match), the session as the widget polls it (queue
// position, average wait, queue text, agent name and typing, WhenFetched), the customer's moves (pre-chat form,
// FAQ, messages, typing, rating, ending, transcript, offline form), and the fences: session keys, rate limits, CORS.
import assert from 'node:assert/strict';
import { ADM0, call, type TestApp, TJE0 } from './test-app.ts';

export class TestClock {
  // Wednesday 2026-03-04 11:00 in Oslo (CET): inside Salg's hours (Mon-Fri 08-16), before its lunch (11:30-12:00).
  constructor(public t = Date.parse('2026-03-04T10:00:00Z')) {}
  now = () => new Date(this.t);
  advance(minutes: number) {
    this.t += minutes * 60_000;
  }
  advanceSeconds(seconds: number) {
    this.t += seconds * 1000;
  }
  /** Moves forward to an instant (never back: sessions are ordered by when they were requested). */
  to(iso: string) {
    const t = Date.parse(iso);
    assert.ok(t >= this.t, `the test clock only moves forward (${iso})`);
    this.t = t;
  }
}

export const SUPPORT = 1;

export const SALES = 2;

export const BOT_LAB = 5;

export const CUSTOMER_TYPING_BIT = 2;

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
  json: any;
}

/** The widget's calls, the agent's view and a few set-up moves, bound to one app. */
export function widgetKit(appOf: () => TestApp) {
  const visitor = async (
    method: string,
    body: unknown = {},
    key?: string,
    options: { headers?: Record<string, string>; address?: string } = {},
  ): Promise<Answer> => {
    const r = await appOf().server.inject({
      method: 'POST',
      url: `/api/v1/Visitor/${method}`,
      headers: { 'content-type': 'application/json', ...(key !== undefined ? { 'x-session-key': key } : {}), ...options.headers },
      payload: JSON.stringify(body),
      ...(options.address ? { remoteAddress: options.address } : {}),
    });
    let json: any;
    try {
      json = r.body ? JSON.parse(r.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.statusCode, headers: r.headers, body: r.body, json };
  };
  const ok = (res: Answer, status = 200) => {
    assert.equal(res.status, status, res.body);
    return res.json;
  };
  /** OpenSession (consented, Customer support unless told), asserting success. */
  const open = async (body: Record<string, unknown> = {}, address?: string) =>
    ok(await visitor('OpenSession', { ChatTopicId: SUPPORT, Consented: true, ...body }, undefined, { address })) as { SessionKey: string; Session: any };
  const getSession = async (key: string) => ok(await visitor('GetSession', {}, key));
  const messages = async (key: string, after = 0, headers?: Record<string, string>) => ok(await visitor('GetMessages', { After: after }, key, { headers }));
  const post = (key: string, text: string, headers?: Record<string, string>) => visitor('PostMessage', { Message: text }, key, { headers });
  /** The session as an administrator sees it through the agent API. */
  const agentView = async (id: number) => {
    const res = await call(appOf(), 'GetChatSessionEntity', { auth: ADM0, query: `chatSessionEntityId=${id}` });
    assert.equal(res.status, 200, res.body);
    return res.json;
  };
  const userId = async (userName: string) => (await appOf().store.associates.byUserName(userName))!.id;
  const setPresent = async (userName: string, present: boolean) => {
    const res = await call(appOf(), 'SaveChatPresence', { auth: ADM0, body: { ChatPresence: [{ UserId: await userId(userName), Present: present }] } });
    assert.equal(res.status, 204, res.body);
  };
  /** A new topic (open around the clock unless told) with the given responders. */
  const newTopic = async (fields: Record<string, unknown> = {}, responders: string[] = ['tje0']) => {
    const res = await call(appOf(), 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 0, Name: `Visitor topic ${Math.random()}`, ...fields } });
    assert.equal(res.status, 200, res.body);
    const id = res.json.ChatTopicId as number;
    for (const user of responders) {
      const added = await call(appOf(), 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: {
          ChatTopicId: id,
          Useragent: { TopicId: id, User: { AssociateId: await userId(user) }, CanListen: false, CanRespond: true, CanManage: false, CanNotify: false },
        },
      });
      assert.equal(added.status, 200, added.body);
    }
    return id;
  };
  const saveTopic = async (id: number, fields: Record<string, unknown>) => {
    const res = await call(appOf(), 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: id, ...fields } });
    assert.equal(res.status, 200, res.body);
    return res.json;
  };
  const pickUp = async (id: number, auth = TJE0) => {
    const res = await call(appOf(), 'PickUpChatSession', { auth, body: { ChatSessionId: id } });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json?.ChatSessionId, id, 'picked up');
    return res.json;
  };
  const agentSays = (id: number, text: string, auth = TJE0) =>
    call(appOf(), 'AddChatMessage', { auth, body: { ChatSessionId: id, Message: { Type: 'ToCustomer', Message: text } } });
  const saveSession = (body: Record<string, unknown>, auth = TJE0) => call(appOf(), 'SaveChatSessionEntity', { auth, body });
  return { visitor, ok, open, getSession, messages, post, agentView, userId, setPresent, newTopic, saveTopic, pickUp, agentSays, saveSession };
}

export const assertError = (res: Answer, status: number, message?: RegExp) => {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.Error, true, res.body);
  if (message) assert.match(res.json.ErrorMessage, message);
};

/** The visitor limits off, so a suite's many calls from one address are not throttled (the limits have a suite). */
export const NO_LIMITS = { PARLEY_VISITOR_REQUESTS_PER_MINUTE: '0', PARLEY_VISITOR_SESSIONS_PER_MINUTE: '0', PARLEY_VISITOR_WRITES_PER_MINUTE: '0' };
