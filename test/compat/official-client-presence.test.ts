// Wire compatibility of presence, the user list and opening hours with SuperOffice's own TypeScript client,
// @superoffice/webapi, over a real socket: getChatPresenceAsync, saveChatPresenceAsync, getUserAgentListAsync
// and isWithinOpeningHoursAsync, through both of each method's overloads. The client sends camelCase carriers
// (echoing TableRight/FieldProperties back) and converts answers into camelCase carriers with enums converted.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { WebApi } from '../helpers/webapi.ts';
import { defaultTopic } from '../../src/domain/defaults.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { tracked as trackedClient } from '../helpers/official-client.ts';

// The ESM build of the client does not load under Node's ESM loader; its CommonJS build does.
const webapi = createRequire(import.meta.url)('@superoffice/webapi') as typeof WebApi;
const { ChatAgent, ETableRight, EFieldRight } = webapi;

/** The client declares every carrier property optional; the tests read what Parley answered, so all is present. */
type Loaded<T> = T extends Array<infer U> ? Array<Loaded<U>> : T extends object ? { [K in keyof T]-?: Loaded<NonNullable<T[K]>> } : T;

/** The four methods this file covers; each must be called through the client below. */
const METHODS = ['getChatPresenceAsync', 'saveChatPresenceAsync', 'getUserAgentListAsync', 'isWithinOpeningHoursAsync'] as const;
const exercised = new Set<string>();

/** The methods as the tests call them: the positional overloads, answers typed as Loaded... */
type Positional = {
  [K in (typeof METHODS)[number]]: (...args: Parameters<WebApi.ChatAgent[K]>) => Promise<Loaded<Awaited<ReturnType<WebApi.ChatAgent[K]>>>>;
};
/** ...and the overloads that take the request object. */
type RequestForms = {
  saveChatPresenceAsync(request: WebApi.Chat_SaveChatPresenceRequest): Promise<void>;
  getUserAgentListAsync(request: WebApi.Chat_GetUserAgentListRequest): Promise<Loaded<WebApi.MDOListItem[]>>;
  isWithinOpeningHoursAsync(request: WebApi.Chat_IsWithinOpeningHoursRequest): Promise<boolean>;
};
type Client = Positional & RequestForms;

/** The client, recording which of its methods the tests call. */
const tracked = (agent: WebApi.ChatAgent) => trackedClient<Client>(agent, exercised);

const SUPPORT = 1,
  SALES = 2,
  SWEDEN = 3;

for (const { kind, skip } of await databaseKinds()) {
  describe(`the official client's presence, user list and opening hours calls against Parley on ${kind}`, { skip }, () => {
    let app: TestApp;
    let baseUrl: string;
    let ids: Record<string, number>;
    const agentFor = (username: string, password: string, options: Record<string, unknown> = {}) =>
      tracked(new ChatAgent({ baseUrl, axiosConfig: { auth: { username, password } }, ...options }));
    let tje0: Client, adm0: Client, ola2: Client;

    before(async () => {
      app = await startTestApp({ kind });
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}/`;
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
      // The first ChatAgent ever built becomes the client's global default options: build plain ones first.
      tje0 = agentFor('tje0', 'Tje0');
      adm0 = agentFor('adm0', 'Adm0');
      ola2 = agentFor('ola2', 'Ola2');
    });
    after(async () => app?.close());

    test('getChatPresenceAsync: camelCase ChatPresence carriers with numeric rights', async () => {
      const list = await tje0.getChatPresenceAsync();
      assert.deepEqual(
        list.map((p) => p.userId),
        Object.values(ids).sort((a, b) => a - b),
      );
      const me = list.find((p) => p.userId === ids.tje0)!;
      assert.equal(me.displayName, 'Tor Jensen');
      assert.equal(me.ongoingChats, 2);
      assert.equal(me.present, true);
      assert.deepEqual(me.chatTopics, [SUPPORT, SALES, SWEDEN]);
      assert.equal(me.tableRight.mask, ETableRight.UR);
      assert.equal(me.fieldProperties.UserId.fieldRight.mask, EFieldRight.Read);
      const ola = list.find((p) => p.userId === ids.ola2)!;
      assert.equal(ola.present, false);
      assert.equal(ola.tableRight.mask, ETableRight.Select);
      assert.deepEqual(ola.fieldProperties, {});
    });

    test('saveChatPresenceAsync: the array overload with the carriers the client just read', async () => {
      const mine = (await tje0.getChatPresenceAsync()).filter((p) => p.userId === ids.tje0);
      mine[0].present = false;
      assert.equal(await tje0.saveChatPresenceAsync(mine), '', 'a 204: the client resolves with the empty body');
      assert.equal((await adm0.getChatPresenceAsync()).find((p) => p.userId === ids.tje0)!.present, false);
      mine[0].present = true;
      await tje0.saveChatPresenceAsync(mine);
      assert.equal((await app.store.associates.byId(ids.tje0))!.present, true);
    });

    test('saveChatPresenceAsync: the request overload; a manager sets the presence of a responder in their topic, others are refused', async () => {
      // ola2 manages Salg; ann1 responds there for this test, tje0 only listens there.
      await app.store.topicAgents.upsert({ topicId: 2, associateId: ids.ann1, canListen: false, canRespond: true, canManage: false, canNotify: false });
      try {
        await ola2.saveChatPresenceAsync({ chatPresence: [{ userId: ids.ann1, present: false }] });
        assert.equal((await app.store.associates.byId(ids.ann1))!.present, false);
        await assert.rejects(ola2.saveChatPresenceAsync([{ userId: ids.tje0, present: false }]), (e: any) => {
          assert.equal(e.response?.status, 403);
          assert.equal(e.response.data.ErrorType, 'SoAccessDeniedException');
          return true;
        });
        await assert.rejects(tje0.saveChatPresenceAsync([{ userId: 987654, present: true }]), (e: any) => e.response?.status === 400);
        await adm0.saveChatPresenceAsync([{ userId: ids.ann1, present: true }]);
        assert.equal((await app.store.associates.byId(ids.ann1))!.present, true);
      } finally {
        await app.store.topicAgents.remove(2, ids.ann1);
      }
    });

    test('getUserAgentListAsync, flat: MDOListItems sorted by name, ids the associate ids', async () => {
      const flat = await tje0.getUserAgentListAsync(true, false);
      assert.deepEqual(
        flat.map((i) => i.name),
        ['Ada Admin', 'Anne Berg', 'Dieter Deutsch', 'Ola Nordmann', 'Sven Svensson', 'Tor Jensen'],
      );
      const tor = flat.find((i) => i.name === 'Tor Jensen')!;
      assert.equal(tor.id, ids.tje0);
      assert.equal(tor.toolTip, 'tje0');
      assert.equal(tor.fullName, 'Tor Jensen');
      assert.equal(tor.type, 'associate');
      assert.equal(tor.deleted, false);
      assert.deepEqual(tor.childItems, []);
      assert.equal(tor.tableRight.mask, ETableRight.Select);
      const present = await tje0.getUserAgentListAsync({ flat: true, onlyPresent: true });
      assert.deepEqual(
        present.map((i) => i.name),
        ['Ada Admin', 'Anne Berg', 'Sven Svensson', 'Tor Jensen'],
      );
    });

    test('getUserAgentListAsync, tree: user groups with negative ids and the users as converted childItems', async () => {
      const tree = await tje0.getUserAgentListAsync(false, false);
      assert.deepEqual(
        tree.map((g) => [g.id, g.name, g.type]),
        [
          [-1, 'Administration', 'group'],
          [-2, 'Sales', 'group'],
          [-3, 'Support', 'group'],
        ],
      );
      assert.deepEqual(
        tree[2].childItems.map((u) => [u.id, u.name]),
        [
          [ids.ann1, 'Anne Berg'],
          [ids.sve3, 'Sven Svensson'],
          [ids.tje0, 'Tor Jensen'],
        ],
      );
      assert.equal(tree[2].childItems[0].tableRight.mask, ETableRight.Select);
      const present = await tje0.getUserAgentListAsync(false, true);
      assert.deepEqual(
        present.map((g) => g.id),
        [-1, -3],
      );
      // The group-less node translates with the client's languageCode.
      await app.store.associates.insert({ userName: 'zed5', fullName: 'Zed Zulu', passwordHash: null, isAdmin: false, groupName: '' }, new Date());
      const nb = await tje0.getUserAgentListAsync(false, false, { languageCode: 'nb' });
      assert.deepEqual(
        nb.map((g) => g.name),
        ['Administration', 'Sales', 'Support', 'Ingen gruppe'],
      );
      assert.equal(nb[3].childItems[0].name, 'Zed Zulu');
    });

    test('isWithinOpeningHoursAsync: a boolean; true without opening hours, false when every day is closed, 404 for no topic', async () => {
      const base = defaultTopic();
      const always = await app.store.topics.insert({ ...base, name: 'Always open', openingHoursEnabled: false });
      const never = await app.store.topics.insert({
        ...base,
        name: 'Never open',
        openingHoursEnabled: true,
        openingHours: { ...base.openingHours, timeZone: 'NO', days: base.openingHours.days.map((d) => ({ ...d, enabled: false })) },
      });
      assert.equal(await tje0.isWithinOpeningHoursAsync(always), true);
      assert.equal(await tje0.isWithinOpeningHoursAsync(never), false);
      assert.equal(await tje0.isWithinOpeningHoursAsync({ chatTopicId: never }), false);
      assert.equal(await adm0.isWithinOpeningHoursAsync({ chatTopicId: always }), true);
      await assert.rejects(tje0.isWithinOpeningHoursAsync(987654), (e: any) => e.response?.status === 404);
    });
  });
}

describe('coverage of the official client: presence, user list, opening hours', () => {
  test('each of the four methods was called through @superoffice/webapi', () => {
    const missing = METHODS.filter((m) => !exercised.has(m));
    assert.deepEqual(missing, [], `not exercised: ${missing.join(', ')}`);
  });
});
