// SaveChatPresence: setting one's own presence, and who may set another's.
// The demo data these tests rely on, and the helpers they share: test/helpers/presence-kit.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, ANN1, call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { SVE3, SUPPORT, assertError, userIds, presence, savePresence, storedPresence, rowOf, SALES, GERMANY } from '../helpers/presence-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`SaveChatPresence on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    const DEMO_PRESENCE = { adm0: true, tje0: true, ann1: true, ola2: false, sve3: true, deu4: false };
    before(async () => {
      app = await startTestApp({ kind });
      ids = await userIds(app);
    });
    after(async () => app?.close());
    /** Puts every demo user back to its demo presence. */
    const reset = async () => {
      for (const [user, present] of Object.entries(DEMO_PRESENCE)) await app.store.associates.setPresent(ids[user], present);
    };

    test('anyone sets their own presence: 204, no body, stored, and shown by GetChatPresence', async () => {
      const res = await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: false }]);
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.equal((await storedPresence(app)).tje0, false);
      assert.equal(rowOf(await presence(app, ANN1), ids.tje0).Present, false);
      assert.equal((await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: true }])).status, 204);
      assert.equal((await storedPresence(app)).tje0, true);
    });

    test('only UserId and Present count: a whole echoed carrier is accepted, its other fields ignored', async () => {
      const row = rowOf(await presence(app, DEU4), ids.deu4);
      const res = await savePresence(app, DEU4, [{ ...row, Present: true, DisplayName: 'Someone Else', OngoingChats: 99, ChatTopics: [SUPPORT] }]);
      assert.equal(res.status, 204, res.body);
      const after = rowOf(await presence(app, DEU4), ids.deu4);
      assert.deepEqual([after.Present, after.DisplayName, after.OngoingChats, after.ChatTopics], [true, 'Dieter Deutsch', 1, [GERMANY]]);
      await reset();
    });

    test("another user's presence: 403 for agents, nothing stored, not even the caller's own entry", async () => {
      assertError(await savePresence(app, TJE0, [{ UserId: ids.ann1, Present: false }]), 403, 'SoAccessDeniedException', new RegExp(`user ${ids.ann1}`));
      const mixed = await savePresence(app, TJE0, [
        { UserId: ids.tje0, Present: false },
        { UserId: ids.ann1, Present: false },
      ]);
      assertError(mixed, 403, 'SoAccessDeniedException');
      assert.deepEqual(await storedPresence(app), DEMO_PRESENCE);
      // A listener is no manager: tje0 listens in Salg, where ola2 responds.
      assertError(await savePresence(app, TJE0, [{ UserId: ids.ola2, Present: true }]), 403, 'SoAccessDeniedException');
    });

    test('managers set the presence of those who can respond in their topics, and only theirs', async () => {
      // ola2 manages Salg (tje0 only listens there); sve3 manages Support Sverige (tje0 is only notified there).
      assertError(await savePresence(app, OLA2, [{ UserId: ids.tje0, Present: false }]), 403, 'SoAccessDeniedException', /can respond/);
      assertError(await savePresence(app, SVE3, [{ UserId: ids.tje0, Present: false }]), 403, 'SoAccessDeniedException');
      // Nor does a listener or notification role the manager adds: ola2 cannot reach an administrator that way.
      const added = await call(app, 'AddChatTopicUserAgent', {
        auth: OLA2,
        body: {
          ChatTopicId: SALES,
          Useragent: { TopicId: SALES, User: { AssociateId: ids.adm0 }, CanListen: true, CanRespond: false, CanManage: false, CanNotify: true },
        },
      });
      assert.equal(added.status, 200, added.body);
      assertError(await savePresence(app, OLA2, [{ UserId: ids.adm0, Present: false }]), 403, 'SoAccessDeniedException', new RegExp(`user ${ids.adm0}`));
      assert.deepEqual(await storedPresence(app), DEMO_PRESENCE);
      // ann1 responds in Salg (for this test): ola2 covers for ann1; deu4, in no topic ola2 manages, spoils the whole list.
      await app.store.topicAgents.upsert({ topicId: SALES, associateId: ids.ann1, canListen: false, canRespond: true, canManage: false, canNotify: false });
      try {
        assert.equal(
          (
            await savePresence(app, OLA2, [
              { UserId: ids.ann1, Present: false },
              { UserId: ids.ola2, Present: true },
            ])
          ).status,
          204,
        );
        assert.equal((await storedPresence(app)).ann1, false);
        assert.equal((await storedPresence(app)).ola2, true);
        assertError(
          await savePresence(app, OLA2, [
            { UserId: ids.ann1, Present: true },
            { UserId: ids.deu4, Present: true },
          ]),
          403,
          'SoAccessDeniedException',
          new RegExp(`user ${ids.deu4}`),
        );
        assert.equal((await storedPresence(app)).ann1, false);
        assert.equal((await storedPresence(app)).deu4, false);
      } finally {
        await app.store.topicAgents.remove(SALES, ids.ann1);
        await app.store.topicAgents.remove(SALES, ids.adm0);
        await reset();
      }
    });

    test("setting another user's presence is logged at info (who set whose); one's own is not", async () => {
      const lines: string[] = [];
      const logged = await startTestApp({
        kind,
        logger: {
          write: (line) => {
            lines.push(line);
          },
        },
      });
      try {
        const who = await userIds(logged);
        assert.equal(
          (
            await savePresence(logged, ADM0, [
              { UserId: who.tje0, Present: false },
              { UserId: who.adm0, Present: false },
            ])
          ).status,
          204,
        );
        assertError(await savePresence(logged, TJE0, [{ UserId: who.ann1, Present: false }]), 403, 'SoAccessDeniedException');
        const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'chat presence set for another user');
        assert.equal(entries.length, 1, lines.join(''));
        assert.equal(entries[0].level, 30, 'info');
        assert.deepEqual(
          [entries[0].actor, entries[0].actorId, entries[0].user, entries[0].userId, entries[0].present],
          ['adm0', who.adm0, 'tje0', who.tje0, false],
        );
      } finally {
        await logged.close();
      }
    });

    test("administrators set anyone's presence, in one call", async () => {
      const list = Object.keys(DEMO_PRESENCE).map((u) => ({ UserId: ids[u], Present: false }));
      assert.equal((await savePresence(app, ADM0, list)).status, 204);
      assert.deepEqual(Object.values(await storedPresence(app)), [false, false, false, false, false, false]);
      await reset();
    });

    test('an unknown or retired user is a 400 naming it, and nothing is stored', async () => {
      assertError(
        await savePresence(app, ADM0, [
          { UserId: ids.tje0, Present: false },
          { UserId: 987654, Present: true },
        ]),
        400,
        'SoValidationException',
        /987654/,
      );
      assertError(await savePresence(app, TJE0, [{ UserId: 987654, Present: true }]), 400, 'SoValidationException', /987654/);
      const retired = await app.store.associates.insert({ userName: 'old9', fullName: 'Old Timer', passwordHash: null, isAdmin: false }, new Date());
      await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', retired).execute();
      assertError(await savePresence(app, ADM0, [{ UserId: retired, Present: true }]), 400, 'SoValidationException', new RegExp(String(retired)));
      assert.deepEqual(await storedPresence(app), { ...DEMO_PRESENCE, old9: false });
    });

    test('bad input: missing UserId or Present, wrong types, a user listed twice, no list at all', async () => {
      assertError(await savePresence(app, TJE0, [{ UserId: ids.tje0 }]), 400, 'SoValidationException', /ChatPresence\[0\]: UserId and Present are required/);
      assertError(await savePresence(app, TJE0, [{ Present: true }]), 400, 'SoValidationException', /UserId and Present/);
      assertError(await savePresence(app, TJE0, [{ UserId: 'tje0', Present: true }]), 400, 'SoBadRequestException', /ChatPresence\[0\]\.UserId/);
      assertError(await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: 'maybe' }]), 400, 'SoBadRequestException', /Present/);
      assertError(await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: true, Mood: 'happy' }]), 400, 'SoBadRequestException', /Mood/);
      assertError(
        await savePresence(app, TJE0, [
          { UserId: ids.tje0, Present: false },
          { UserId: ids.tje0, Present: true },
        ]),
        400,
        'SoValidationException',
        /listed twice/,
      );
      assertError(await savePresence(app, TJE0, 'everyone'), 400, 'SoBadRequestException', /ChatPresence: must be a list/);
      assertError(await call(app, 'SaveChatPresence', { auth: TJE0, body: {} }), 400, 'SoBadRequestException', /ChatPresence is required/);
      assertError(await call(app, 'SaveChatPresence', { auth: TJE0 }), 400, 'SoBadRequestException', /ChatPresence is required/);
      assert.deepEqual(await storedPresence(app), { ...DEMO_PRESENCE, old9: false });
    });

    test('an empty (or null) list stores nothing and answers 204', async () => {
      assert.equal((await savePresence(app, TJE0, [])).status, 204);
      assert.equal((await savePresence(app, TJE0, null)).status, 204);
    });

    test('$select is accepted and ignored; XML and form bodies work too', async () => {
      assert.equal((await savePresence(app, TJE0, [{ UserId: ids.tje0, Present: false }], '$select=NoSuchProperty')).status, 204);
      assert.equal((await storedPresence(app)).tje0, false);
      const xml = await call(app, 'SaveChatPresence', {
        auth: TJE0,
        contentType: 'application/xml',
        rawBody: `<Chat_SaveChatPresenceRequest><ChatPresence><ChatPresence><UserId>${ids.tje0}</UserId><Present>true</Present></ChatPresence></ChatPresence></Chat_SaveChatPresenceRequest>`,
      });
      assert.equal(xml.status, 204, xml.body);
      assert.equal((await storedPresence(app)).tje0, true);
      const form = await call(app, 'SaveChatPresence', {
        auth: TJE0,
        contentType: 'application/x-www-form-urlencoded',
        rawBody: `ChatPresence.ChatPresence.UserId=${ids.tje0}&ChatPresence.ChatPresence.Present=false`,
      });
      assert.equal(form.status, 204, form.body);
      assert.equal((await storedPresence(app)).tje0, false);
      await reset();
    });
  });
}
