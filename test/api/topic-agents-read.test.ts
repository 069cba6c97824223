// Reading a topic's agents: the default agent, the list, one agent; rights, bad input, $select.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { AGENT_KEYS, ASSOCIATE_KEYS, BOT_LAB, GERMANY, NO_ROLES, SALES, SUPPORT, getAgent, listAgents, rolesOf, userIds } from '../helpers/topic-agents-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`CreateDefaultChatTopicAgent on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('answers an unassigned agent with no roles; ChatTopicAgent is no Carrier', async () => {
      const res = await call(app, 'CreateDefaultChatTopicAgent', { auth: TJE0 });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json), AGENT_KEYS);
      assert.deepEqual(res.json, { TopicId: 0, User: null, ...NO_ROLES });
    });
  });

  describe(`GetChatTopicUserAgentList on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test('any member may list the agents, with their users and roles, ordered by user', async () => {
      for (const auth of [TJE0, OLA2]) {
        const res = await listAgents(app, auth, SALES);
        assert.equal(res.status, 200);
        assert.deepEqual(
          res.json.map((a: any) => a.User.UserName),
          ['tje0', 'ola2'],
        );
        for (const a of res.json) {
          assert.deepEqual(Object.keys(a), AGENT_KEYS);
          assert.equal(a.TopicId, SALES);
        }
        assert.deepEqual(rolesOf(res.json[0]), { ...NO_ROLES, CanListen: true });
        assert.deepEqual(rolesOf(res.json[1]), { CanListen: false, CanRespond: true, CanManage: true, CanNotify: true });
      }
    });

    test('each User is an Associate carrier with the reference page properties', async () => {
      const res = await listAgents(app, TJE0, SALES);
      const user = res.json[0].User;
      assert.deepEqual(
        Object.keys(user).filter((k) => ASSOCIATE_KEYS.includes(k)),
        ASSOCIATE_KEYS,
      );
      assert.deepEqual(Object.keys(user).slice(-2), ['TableRight', 'FieldProperties']);
      assert.equal(user.AssociateId, ids.tje0);
      assert.equal(user.Name, 'tje0');
      assert.equal(user.UserName, 'tje0');
      assert.equal(user.FullName, 'Tor Jensen');
      assert.equal(user.Type, 'InternalAssociate');
      assert.equal(user.Deleted, false);
      assert.equal(user.EjUserId, ids.tje0);
    });

    test('administrators list any topic; non-members get 403', async () => {
      const admin = await listAgents(app, ADM0, GERMANY);
      assert.equal(admin.status, 200);
      assert.deepEqual(
        admin.json.map((a: any) => a.User.UserName),
        ['deu4'],
      );
      for (const [auth, id] of [
        [DEU4, SUPPORT],
        [ANN1, SALES],
        [OLA2, BOT_LAB],
      ] as const) {
        const res = await listAgents(app, auth, id);
        assert.equal(res.status, 403, `${id}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
    });

    test('an unknown topic is a 404', async () => {
      const res = await listAgents(app, ADM0, 9999);
      assert.equal(res.status, 404);
      assert.equal(res.json.ErrorType, 'SoNotFoundException');
    });

    test('a missing or non-numeric ChatTopicId, or an unknown property, is a 400', async () => {
      for (const body of [{}, { ChatTopicId: 'one' }, { ChatTopicId: null }, { ChatTopicId: SALES, Extra: 1 }]) {
        const res = await call(app, 'GetChatTopicUserAgentList', { auth: TJE0, body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal((await call(app, 'GetChatTopicUserAgentList', { auth: TJE0 })).status, 400, 'no body');
    });

    test('the body name matches case-insensitively and may come as a form', async () => {
      const lower = await call(app, 'GetChatTopicUserAgentList', { auth: TJE0, body: { chattopicid: SALES } });
      assert.equal(lower.status, 200);
      assert.equal(lower.json.length, 2);
      const form = await call(app, 'GetChatTopicUserAgentList', {
        auth: TJE0,
        rawBody: `ChatTopicId=${SALES}`,
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(form.status, 200);
      assert.equal(form.json.length, 2);
    });
  });

  describe(`GetChatTopicUserAgent on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test("by user name: the user's roles in the topic", async () => {
      const res = await getAgent(app, TJE0, SUPPORT, 'ann1');
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json), AGENT_KEYS);
      assert.equal(res.json.TopicId, SUPPORT);
      assert.equal(res.json.User.AssociateId, ids.ann1);
      assert.equal(res.json.User.FullName, 'Anne Berg');
      assert.deepEqual(rolesOf(res.json), { ...NO_ROLES, CanRespond: true });
      const own = await getAgent(app, TJE0, SUPPORT, 'tje0');
      assert.deepEqual(rolesOf(own.json), { ...NO_ROLES, CanRespond: true, CanNotify: true });
    });

    test('by associate id given as a string, which answers the same', async () => {
      const byName = await getAgent(app, TJE0, SUPPORT, 'adm0');
      const byId = await getAgent(app, TJE0, SUPPORT, String(ids.adm0));
      assert.equal(byId.status, 200);
      assert.deepEqual(byId.json, byName.json);
      assert.deepEqual(rolesOf(byId.json), { ...NO_ROLES, CanManage: true, CanListen: true });
    });

    test('a user not assigned to the topic, or no such user, answers null', async () => {
      for (const user of ['deu4', String(ids.deu4), 'nobody', '99999']) {
        const res = await getAgent(app, TJE0, SUPPORT, user);
        assert.equal(res.status, 200, user);
        assert.equal(res.body, 'null', user);
      }
    });

    test('non-members get 403; an unknown topic is a 404; Username is required', async () => {
      assert.equal((await getAgent(app, DEU4, SUPPORT, 'tje0')).status, 403);
      assert.equal((await getAgent(app, ADM0, 9999, 'tje0')).status, 404);
      assert.equal((await call(app, 'GetChatTopicUserAgent', { auth: TJE0, body: { ChatTopicId: SUPPORT } })).status, 400);
      assert.equal((await call(app, 'GetChatTopicUserAgent', { auth: TJE0, body: { Username: 'tje0' } })).status, 400);
    });

    test('$select applies to the agent', async () => {
      const res = await call(app, 'GetChatTopicUserAgent', {
        auth: TJE0,
        query: '$select=CanRespond,User/UserName',
        body: { ChatTopicId: SUPPORT, Username: 'ann1' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.CanRespond, true);
      assert.equal(res.json.User.UserName, 'ann1');
      assert.equal(res.json.User.FullName, null);
    });
  });
}
