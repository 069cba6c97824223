// Changing a topic's agents (add, update one or many, delete) and how a role change reaches the assigned user's
// ChatTopicsForUser, ChatSessionsForUser and GetChatSessionEntity.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import {
  AGENT_KEYS,
  BOT_LAB,
  GERMANY,
  NO_ROLES,
  SALES,
  SUPPORT,
  SVE3,
  SWEDEN,
  addAgent,
  getAgent,
  listAgents,
  rolesOf,
  stored,
  topicIdsOf,
  userIds,
  type Roles,
} from '../helpers/topic-agents-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`AddChatTopicUserAgent on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    test('a user named by AssociateId is assigned with the given roles', async () => {
      const res = await addAgent(app, ADM0, BOT_LAB, { AssociateId: ids.tje0 }, { CanRespond: true, CanNotify: true });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json), AGENT_KEYS);
      assert.equal(res.json.TopicId, BOT_LAB);
      assert.equal(res.json.User.UserName, 'tje0');
      assert.deepEqual(rolesOf(res.json), { ...NO_ROLES, CanRespond: true, CanNotify: true });
      assert.deepEqual(await stored(app, BOT_LAB, ids.tje0), { ...NO_ROLES, CanRespond: true, CanNotify: true });
    });

    test('with AssociateId 0 or missing the user is found by UserName, or else by Name', async () => {
      const byUserName = await addAgent(app, OLA2, SALES, { AssociateId: 0, UserName: 'sve3' }, { CanListen: true });
      assert.equal(byUserName.status, 200, byUserName.body);
      assert.equal(byUserName.json.User.AssociateId, ids.sve3);
      const byName = await addAgent(app, OLA2, SALES, { Name: 'ann1' }, { CanNotify: true });
      assert.equal(byName.status, 200, byName.body);
      assert.equal(byName.json.User.AssociateId, ids.ann1);
      const mixedCase = await addAgent(app, OLA2, SALES, { AssociateId: 0, UserName: 'DEU4' }, { CanListen: true });
      assert.equal(mixedCase.status, 200, mixedCase.body);
      assert.equal(mixedCase.json.User.AssociateId, ids.deu4);
      assert.deepEqual(await stored(app, SALES, ids.sve3), { ...NO_ROLES, CanListen: true });
      assert.deepEqual(await stored(app, SALES, ids.ann1), { ...NO_ROLES, CanNotify: true });
    });

    test('the topic comes from ChatTopicId, not from Useragent.TopicId', async () => {
      const res = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: { ChatTopicId: SWEDEN, Useragent: { TopicId: GERMANY, User: { AssociateId: ids.ola2 }, CanListen: true } },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.TopicId, SWEDEN);
      assert.deepEqual(await stored(app, SWEDEN, ids.ola2), { ...NO_ROLES, CanListen: true });
      assert.equal(await stored(app, GERMANY, ids.ola2), undefined);
    });

    test('adding a user already assigned replaces the roles; the user appears once', async () => {
      assert.equal((await addAgent(app, ADM0, SWEDEN, { UserName: 'ann1' }, { CanListen: true, CanNotify: true })).status, 200);
      const again = await addAgent(app, ADM0, SWEDEN, { UserName: 'ann1' }, { CanRespond: true });
      assert.equal(again.status, 200);
      assert.deepEqual(rolesOf(again.json), { ...NO_ROLES, CanRespond: true });
      const list = (await listAgents(app, ADM0, SWEDEN)).json.filter((a: any) => a.User.UserName === 'ann1');
      assert.equal(list.length, 1);
      assert.deepEqual(rolesOf(list[0]), { ...NO_ROLES, CanRespond: true });
    });

    test('an unknown user, or none named, is a 400 and nothing is stored', async () => {
      const agentsBefore = (await listAgents(app, ADM0, GERMANY)).json;
      for (const user of [{ AssociateId: 99999 }, { AssociateId: 0, UserName: 'ghost' }, { Name: 'ghost' }, {}, null]) {
        const res = await addAgent(app, ADM0, GERMANY, user, { CanListen: true });
        assert.equal(res.status, 400, JSON.stringify(user));
        assert.equal(res.json.ErrorType, 'SoValidationException');
      }
      assert.deepEqual((await listAgents(app, ADM0, GERMANY)).json, agentsBefore);
    });

    test("only the topic's managers and administrators may add: others get 403", async () => {
      for (const [auth, id] of [
        [TJE0, SUPPORT],
        [ANN1, SUPPORT],
        [TJE0, SALES],
        [DEU4, SUPPORT],
        [OLA2, GERMANY],
      ] as const) {
        const res = await addAgent(app, auth, id, { UserName: 'tje0' }, { CanManage: true });
        assert.equal(res.status, 403, `${id}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.deepEqual(await stored(app, SUPPORT, ids.tje0), { ...NO_ROLES, CanRespond: true, CanNotify: true });
      assert.equal(await stored(app, GERMANY, ids.tje0), undefined);
    });

    test('a manager who is not an administrator may add to the topic they manage', async () => {
      const res = await addAgent(app, DEU4, GERMANY, { UserName: 'ann1' }, { CanListen: true });
      assert.equal(res.status, 200);
      assert.deepEqual(await stored(app, GERMANY, ids.ann1), { ...NO_ROLES, CanListen: true });
    });

    test('an unknown topic is a 404; a missing Useragent or ChatTopicId is a 400', async () => {
      assert.equal((await addAgent(app, ADM0, 9999, { UserName: 'ann1' })).status, 404);
      assert.equal((await call(app, 'AddChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SUPPORT } })).status, 400);
      assert.equal((await call(app, 'AddChatTopicUserAgent', { auth: ADM0, body: { Useragent: { User: { UserName: 'ann1' } } } })).status, 400);
      const badFlag = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        body: { ChatTopicId: SUPPORT, Useragent: { User: { UserName: 'ann1' }, CanListen: 'yes' } },
      });
      assert.equal(badFlag.status, 400);
      assert.match(badFlag.json.ErrorMessage, /CanListen/);
    });

    test('an XML body is accepted', async () => {
      const xml =
        `<AddChatTopicUserAgent><ChatTopicId>${BOT_LAB}</ChatTopicId><Useragent><User><UserName>ola2</UserName></User>` +
        '<CanListen>true</CanListen><CanRespond>false</CanRespond><CanManage>false</CanManage><CanNotify>true</CanNotify></Useragent></AddChatTopicUserAgent>';
      const res = await call(app, 'AddChatTopicUserAgent', { auth: ADM0, rawBody: xml, contentType: 'application/xml' });
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.User.UserName, 'ola2');
      assert.deepEqual(rolesOf(res.json), { ...NO_ROLES, CanListen: true, CanNotify: true });
    });
  });

  describe(`UpdateChatTopicUserAgent on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    const update = (auth: string, topicId: number, user: string, roles: Roles, agentUser: unknown = null) =>
      call(app, 'UpdateChatTopicUserAgent', {
        auth,
        body: { ChatTopicId: topicId, Username: user, Useragent: { TopicId: topicId, User: agentUser, ...NO_ROLES, ...roles } },
      });

    test('a manager changes the roles of an assigned user', async () => {
      const res = await update(OLA2, SALES, 'tje0', { CanRespond: true });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json), AGENT_KEYS);
      assert.equal(res.json.TopicId, SALES);
      assert.equal(res.json.User.UserName, 'tje0');
      assert.deepEqual(rolesOf(res.json), { ...NO_ROLES, CanRespond: true });
      assert.deepEqual(rolesOf((await getAgent(app, OLA2, SALES, 'tje0')).json), { ...NO_ROLES, CanRespond: true });
    });

    test('the user is named by Username (name or id); Useragent.User does not redirect the update', async () => {
      const res = await update(SVE3, SWEDEN, String(ids.tje0), { CanListen: true, CanNotify: true }, { UserName: 'ann1' });
      assert.equal(res.status, 200);
      assert.equal(res.json.User.UserName, 'tje0');
      assert.deepEqual(await stored(app, SWEDEN, ids.tje0), { ...NO_ROLES, CanListen: true, CanNotify: true });
      assert.equal(await stored(app, SWEDEN, ids.ann1), undefined);
    });

    test('a user not assigned to the topic is a 404 and is not added', async () => {
      const res = await update(OLA2, SALES, 'deu4', { CanListen: true });
      assert.equal(res.status, 404);
      assert.equal(res.json.ErrorType, 'SoNotFoundException');
      assert.equal(await stored(app, SALES, ids.deu4), undefined);
    });

    test('an unknown user is a 400; an unknown topic a 404', async () => {
      assert.equal((await update(ADM0, SALES, 'ghost', { CanListen: true })).status, 400);
      assert.equal((await update(ADM0, 9999, 'tje0', { CanListen: true })).status, 404);
    });

    test('members without the manager role and non-members get 403; nothing changes', async () => {
      for (const [auth, id, user] of [
        [TJE0, SUPPORT, 'tje0'],
        [ANN1, SUPPORT, 'ann1'],
        [DEU4, SALES, 'ola2'],
        [OLA2, GERMANY, 'deu4'],
      ] as const) {
        const res = await update(auth, id, user, { CanManage: true });
        assert.equal(res.status, 403, `${id} ${user}`);
      }
      assert.deepEqual(await stored(app, SUPPORT, ids.ann1), { ...NO_ROLES, CanRespond: true });
      assert.deepEqual(await stored(app, GERMANY, ids.deu4), { CanListen: false, CanRespond: true, CanManage: true, CanNotify: true });
    });

    test('Username and Useragent are required', async () => {
      assert.equal((await call(app, 'UpdateChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SALES, Useragent: { CanListen: true } } })).status, 400);
      assert.equal((await call(app, 'UpdateChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SALES, Username: 'tje0' } })).status, 400);
    });
  });

  describe(`UpdateChatTopicUserAgents on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    const updateAll = (auth: string, topicId: number, agents: Array<{ user: unknown } & Roles>) =>
      call(app, 'UpdateChatTopicUserAgents', {
        auth,
        body: { ChatTopicId: topicId, Useragents: agents.map(({ user, ...roles }) => ({ TopicId: topicId, User: user, ...NO_ROLES, ...roles })) },
      });

    test('upserts the listed users, keeps the others, and answers the whole list', async () => {
      const res = await updateAll(DEU4, GERMANY, [
        { user: { UserName: 'tje0' }, CanListen: true },
        { user: { AssociateId: ids.ann1 }, CanNotify: true, CanRespond: true },
      ]);
      assert.equal(res.status, 200, res.body);
      for (const a of res.json) assert.deepEqual(Object.keys(a), AGENT_KEYS);
      assert.deepEqual(
        res.json.map((a: any) => a.User.UserName),
        ['tje0', 'ann1', 'deu4'],
        'ordered by user',
      );
      assert.deepEqual(rolesOf(res.json[0]), { ...NO_ROLES, CanListen: true });
      assert.deepEqual(rolesOf(res.json[1]), { ...NO_ROLES, CanNotify: true, CanRespond: true });
      assert.deepEqual(rolesOf(res.json[2]), { CanListen: false, CanRespond: true, CanManage: true, CanNotify: true }, 'deu4 was not listed: kept');

      const changed = await updateAll(DEU4, GERMANY, [{ user: { Name: 'tje0' }, CanRespond: true }]);
      assert.equal(changed.status, 200);
      assert.deepEqual(
        changed.json.map((a: any) => a.User.UserName),
        ['tje0', 'ann1', 'deu4'],
      );
      assert.deepEqual(rolesOf(changed.json[0]), { ...NO_ROLES, CanRespond: true });
      assert.deepEqual(await stored(app, GERMANY, ids.tje0), { ...NO_ROLES, CanRespond: true });
    });

    test('an empty list changes nothing and answers the current agents', async () => {
      const agentsBefore = (await listAgents(app, OLA2, SALES)).json;
      const res = await updateAll(OLA2, SALES, []);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, agentsBefore);
    });

    test('a user listed twice, even once by name and once by id, is a 400 and nothing is stored', async () => {
      const res = await updateAll(SVE3, SWEDEN, [
        { user: { UserName: 'ann1' }, CanListen: true },
        { user: { AssociateId: ids.ann1 }, CanRespond: true },
      ]);
      assert.equal(res.status, 400);
      assert.match(res.json.ErrorMessage, /twice/);
      assert.equal(await stored(app, SWEDEN, ids.ann1), undefined);
    });

    test('all in one transaction: when the 2nd user is unknown nothing of the 1st is stored', async () => {
      const agentsBefore = (await listAgents(app, SVE3, SWEDEN)).json;
      const res = await updateAll(SVE3, SWEDEN, [
        { user: { UserName: 'ola2' }, CanListen: true },
        { user: { AssociateId: 99999 }, CanListen: true },
      ]);
      assert.equal(res.status, 400);
      assert.equal(res.json.ErrorType, 'SoValidationException');
      assert.equal(await stored(app, SWEDEN, ids.ola2), undefined);
      assert.deepEqual((await listAgents(app, SVE3, SWEDEN)).json, agentsBefore);
    });

    test('a failure late in the list also undoes role changes of users already assigned', async () => {
      const agentsBefore = (await listAgents(app, SVE3, SWEDEN)).json;
      const res = await updateAll(SVE3, SWEDEN, [
        { user: { UserName: 'sve3' }, CanListen: true }, // would demote the caller
        { user: { UserName: 'tje0' }, CanManage: true },
        { user: { UserName: 'ghost' }, CanListen: true },
      ]);
      assert.equal(res.status, 400);
      assert.deepEqual(await stored(app, SWEDEN, ids.sve3), { ...NO_ROLES, CanRespond: true, CanManage: true });
      assert.deepEqual(await stored(app, SWEDEN, ids.tje0), { ...NO_ROLES, CanNotify: true });
      assert.deepEqual((await listAgents(app, SVE3, SWEDEN)).json, agentsBefore);
    });

    test('only managers and administrators: others get 403; an unknown topic is a 404', async () => {
      for (const [auth, id] of [
        [TJE0, SWEDEN],
        [TJE0, SALES],
        [ANN1, SUPPORT],
        [DEU4, SWEDEN],
      ] as const) {
        const res = await updateAll(auth, id, [{ user: { UserName: 'tje0' }, CanManage: true }]);
        assert.equal(res.status, 403, `${id}`);
      }
      assert.deepEqual(await stored(app, SWEDEN, ids.tje0), { ...NO_ROLES, CanNotify: true });
      assert.equal((await updateAll(ADM0, 9999, [{ user: { UserName: 'tje0' }, CanListen: true }])).status, 404);
    });

    test('Useragents is required and must be a list', async () => {
      assert.equal((await call(app, 'UpdateChatTopicUserAgents', { auth: ADM0, body: { ChatTopicId: SALES } })).status, 400);
      assert.equal((await call(app, 'UpdateChatTopicUserAgents', { auth: ADM0, body: { ChatTopicId: SALES, Useragents: 'tje0' } })).status, 400);
    });
  });

  describe(`DeleteChatTopicUserAgent on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());

    const remove = (auth: string, topicId: number, user: string) =>
      call(app, 'DeleteChatTopicUserAgent', { auth, body: { ChatTopicId: topicId, Username: user } });

    test('a manager removes a user: 204 without a body, and the user is no longer assigned', async () => {
      const res = await remove(OLA2, SALES, 'tje0');
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.equal((await getAgent(app, OLA2, SALES, 'tje0')).body, 'null');
      assert.deepEqual(
        (await listAgents(app, OLA2, SALES)).json.map((a: any) => a.User.UserName),
        ['ola2'],
      );
    });

    test('removing again, or removing a user never assigned, is a 204 as well', async () => {
      assert.equal((await remove(ADM0, SWEDEN, 'ann1')).status, 204);
      assert.equal((await remove(ADM0, SWEDEN, 'ann1')).status, 204);
      assert.equal((await remove(ADM0, SWEDEN, 'ann1')).status, 204);
      assert.deepEqual(
        (await listAgents(app, ADM0, SWEDEN)).json.map((a: any) => a.User.UserName),
        ['tje0', 'sve3'],
      );
    });

    test('the user may be named by associate id', async () => {
      assert.equal((await remove(ADM0, SUPPORT, String(ids.ann1))).status, 204);
      assert.equal(await stored(app, SUPPORT, ids.ann1), undefined);
    });

    test('members without the manager role and non-members get 403; the agent stays', async () => {
      for (const [auth, id, user] of [
        [TJE0, SUPPORT, 'tje0'],
        [TJE0, SWEDEN, 'sve3'],
        [DEU4, SUPPORT, 'tje0'],
        [SVE3, GERMANY, 'deu4'],
      ] as const) {
        const res = await remove(auth, id, user);
        assert.equal(res.status, 403, `${id} ${user}`);
        assert.equal(res.json.ErrorType, 'SoAccessDeniedException');
      }
      assert.ok(await stored(app, SUPPORT, ids.tje0));
      assert.ok(await stored(app, GERMANY, ids.deu4));
    });

    test('an unknown user is a 400, an unknown topic a 404, a missing Username a 400', async () => {
      assert.equal((await remove(ADM0, SUPPORT, 'ghost')).status, 400);
      assert.equal((await remove(ADM0, 9999, 'tje0')).status, 404);
      assert.equal((await call(app, 'DeleteChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SUPPORT } })).status, 400);
    });
  });

  describe(`Role changes reach the user's topics and sessions on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    const sessionTopics = async (auth: string) => [...new Set((await call(app, 'ChatSessionsForUser', { auth })).json.map((s: any) => s.TopicId))].sort();
    const supportSession = async () =>
      (
        await app.store.db
          .selectFrom('chat_sessions')
          .select('id')
          .where('topic_id', '=', SUPPORT)
          .where('customer_name', '=', 'Lars Lund')
          .executeTakeFirstOrThrow()
      ).id;

    test('granting, changing and removing a role', async () => {
      const sid = await supportSession();
      const getSession = () => call(app, 'GetChatSessionEntity', { auth: DEU4, query: `chatSessionEntityId=${sid}` });
      assert.deepEqual(await topicIdsOf(app, DEU4), [GERMANY]);
      assert.deepEqual(await sessionTopics(DEU4), [GERMANY]);
      assert.equal((await getSession()).body, 'null');
      assert.equal((await getAgent(app, DEU4, SUPPORT, 'tje0')).status, 403);

      // Listen only: a member who reads.
      assert.equal((await addAgent(app, ADM0, SUPPORT, { UserName: 'deu4' }, { CanListen: true })).status, 200);
      assert.deepEqual(await topicIdsOf(app, DEU4), [SUPPORT, GERMANY]);
      assert.deepEqual(await sessionTopics(DEU4), [SUPPORT, GERMANY]);
      assert.deepEqual((await getSession()).json.TableRight, { Mask: 'Select', Reason: '' });
      assert.equal((await getAgent(app, DEU4, SUPPORT, 'tje0')).status, 200);
      assert.equal((await call(app, 'CreateChatSessionForTopic', { auth: DEU4, body: { ChatTopicId: SUPPORT } })).status, 403);

      // Respond: may write sessions.
      assert.equal(
        (await call(app, 'UpdateChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SUPPORT, Username: 'deu4', Useragent: { CanRespond: true } } })).status,
        200,
      );
      assert.deepEqual((await getSession()).json.TableRight, { Mask: 'URI', Reason: '' });
      assert.equal((await call(app, 'CreateChatSessionForTopic', { auth: DEU4, body: { ChatTopicId: SUPPORT } })).status, 200);

      // Manage: may delete sessions and manage agents.
      assert.equal(
        (
          await call(app, 'UpdateChatTopicUserAgents', {
            auth: ADM0,
            body: { ChatTopicId: SUPPORT, Useragents: [{ User: { UserName: 'deu4' }, CanManage: true }] },
          })
        ).status,
        200,
      );
      assert.deepEqual((await getSession()).json.TableRight, { Mask: 'FULL', Reason: '' });
      assert.deepEqual((await getTopicOf(DEU4)).TableRight, { Mask: 'UR', Reason: '' });
      assert.equal((await addAgent(app, DEU4, SUPPORT, { UserName: 'ola2' }, { CanListen: true })).status, 200);

      // All four flags false: no longer a member.
      assert.equal(
        (await call(app, 'UpdateChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SUPPORT, Username: 'deu4', Useragent: NO_ROLES } })).status,
        200,
      );
      assert.deepEqual(await topicIdsOf(app, DEU4), [GERMANY]);
      assert.deepEqual(await sessionTopics(DEU4), [GERMANY]);
      assert.equal((await getSession()).body, 'null');
      assert.equal(await getTopicOf(DEU4), null);
      assert.deepEqual(rolesOf((await getAgent(app, ADM0, SUPPORT, 'deu4')).json), NO_ROLES, 'the row is kept, with no roles');

      // Back as a notifier, then removed.
      assert.equal((await addAgent(app, ADM0, SUPPORT, { UserName: 'deu4' }, { CanNotify: true })).status, 200);
      assert.deepEqual(await topicIdsOf(app, DEU4), [SUPPORT, GERMANY]);
      assert.equal((await call(app, 'DeleteChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: SUPPORT, Username: 'deu4' } })).status, 204);
      assert.deepEqual(await topicIdsOf(app, DEU4), [GERMANY]);
      assert.deepEqual(await sessionTopics(DEU4), [GERMANY]);
      assert.equal((await getSession()).body, 'null');
    });

    const getTopicOf = async (auth: string) => (await call(app, 'GetChatTopicEntity', { auth, query: `chatTopicEntityId=${SUPPORT}` })).json;
  });
}
