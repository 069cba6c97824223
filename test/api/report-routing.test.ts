// Parley/Reports' routing measures on a hand-built month (March 2024, Europe/Oslo): offers declined or timed out,
// counted for the agent who missed them (who may own no chat), in the period and topic of the session's request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { reportedSession as build } from '../helpers/factories.ts';
import { ADM0, ANN1, call, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const BASE = '/api/v1/Parley/Reports/';
const SUPPORT = 1;
const SALES = 2;
const OSLO = { 'so-timezone': 'Europe/Oslo', 'so-language': 'x' };
const MARCH = { From: '2024-03-01', To: '2024-04-01' };

type Row = Record<string, number | string>;
const offers = (r: Row) => [r.OffersDeclined, r.OffersTimedOut];

for (const { kind, skip } of await databaseKinds()) {
  describe(`report routing measures on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    const report = async (name: string, auth: string, body: Record<string, unknown> = MARCH) => {
      const res = await call(app, `${BASE}${name}`, { auth, body, headers: OSLO });
      assert.equal(res.status, 200, res.body);
      return res.json;
    };

    before(async () => {
      app = await startTestApp({ kind });
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
      const { tje0, ann1, ola2, sve3, deu4 } = ids;
      const missed = (sessionId: number, agentId: number, outcome: 'declined' | 'timedOut', iso: string) =>
        app.store.routing.recordDecline(sessionId, agentId, outcome, new Date(iso));
      // P: Support, Mon 4 March 09:00 local, tje0's in the end: ann1 declined it, sve3 let it time out.
      const p = await build(app, { topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-03-04T08:00:00Z', started: 90, ended: 600 });
      await missed(p, ann1, 'declined', '2024-03-04T08:00:10Z');
      await missed(p, sve3, 'timedOut', '2024-03-04T08:00:50Z');
      // Q: Sales, Mon 11 March, ola2's: tje0 declined, deu4 timed out.
      const q = await build(app, { topicId: SALES, userId: ola2, status: S.Finished, requested: '2024-03-11T09:00:00Z', started: 70, ended: 600 });
      await missed(q, tje0, 'declined', '2024-03-11T09:00:05Z');
      await missed(q, deu4, 'timedOut', '2024-03-11T09:00:40Z');
      // R: Support, Mon 18 March, nobody answered: tje0 and ann1 both timed out.
      const r = await build(app, { topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-03-18T10:00:00Z', ended: 300 });
      await missed(r, tje0, 'timedOut', '2024-03-18T10:00:30Z');
      await missed(r, ann1, 'timedOut', '2024-03-18T10:01:00Z');
      // Z: Sales, requested 23:50 on Sunday 31 March local; deu4 declined at 00:05 on 1 April: counts in March.
      const z = await build(app, { topicId: SALES, userId: null, status: S.ClosedFromQueue, requested: '2024-03-31T21:50:00Z', ended: 1200 });
      await missed(z, deu4, 'declined', '2024-03-31T22:05:00Z');
      // Left out: the offers of a Deleted session, and of one requested after To.
      const x = await build(app, { topicId: SUPPORT, userId: tje0, status: S.Deleted, requested: '2024-03-06T08:00:00Z', started: 1, ended: 2 });
      await missed(x, ann1, 'declined', '2024-03-06T08:00:00Z');
      const y = await build(app, { topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-04-01T08:00:00Z', started: 1, ended: 2 });
      await missed(y, sve3, 'declined', '2024-04-01T08:00:00Z');
    });
    after(async () => app?.close());

    test('Summary and Topics: every missed offer of the sessions requested in the range', async () => {
      const summary = await report('Summary', ADM0);
      // Declined: P (ann1), Q (tje0), Z (deu4). Timed out: P (sve3), Q (deu4), R (tje0, ann1).
      assert.deepEqual([summary.Requested, ...offers(summary)], [4, 3, 4]);
      const topics = await report('Topics', ADM0);
      assert.deepEqual(
        topics.map((t: Row) => [t.TopicId, t.Requested, ...offers(t)]),
        [
          [SALES, 2, 2, 1], // Q: tje0 declined, deu4 timed out; Z: deu4 declined
          [SUPPORT, 2, 1, 3], // P: ann1 declined, sve3 timed out; R: tje0 and ann1 timed out
        ],
      );
    });

    test('Agents: a missed offer is in the row of the agent who missed it, even one who owns no chat', async () => {
      const agents = await report('Agents', ADM0);
      assert.deepEqual(
        agents.map((a: Row) => [a.AgentId, a.Requested, ...offers(a)]),
        [
          [ids.ann1, 0, 1, 1], // Anne Berg: declined P, timed out on R; owns nothing
          [ids.deu4, 0, 1, 1], // Dieter Deutsch: timed out on Q, declined Z
          [ids.ola2, 1, 0, 0], // Ola Nordmann owns Q and missed nothing
          [ids.sve3, 0, 0, 1], // Sven Svensson: timed out on P
          [ids.tje0, 1, 1, 1], // Tor Jensen owns P; declined Q, timed out on R
          [0, 2, 0, 0], // R and Z, nobody answered
        ],
      );
      const onlyAnn = await report('Summary', ADM0, { ...MARCH, AgentIds: [ids.ann1] });
      assert.deepEqual([onlyAnn.Requested, ...offers(onlyAnn)], [0, 1, 1], 'AgentIds picks the offers an agent missed');
    });

    test("Periods: by the session's request time, local", async () => {
      const weeks = await report('Periods', ADM0, { ...MARCH, Grouping: 'Week' });
      assert.deepEqual(
        weeks.map((w: Row) => [w.Period, ...offers(w)]),
        [
          ['2024-02-26T00:00:00', 0, 0],
          ['2024-03-04T00:00:00', 1, 1], // P
          ['2024-03-11T00:00:00', 1, 1], // Q
          ['2024-03-18T00:00:00', 0, 2], // R
          ['2024-03-25T00:00:00', 1, 0], // Z: requested on Sunday the 31st, declined on 1 April
        ],
      );
    });

    test('rights: an agent sees the offers they missed, a topic manager those of their topics', async () => {
      const own = await report('Agents', TJE0);
      assert.deepEqual(
        own.map((a: Row) => [a.AgentId, a.Requested, ...offers(a)]),
        [[ids.tje0, 1, 1, 1]],
        'tje0: his chat P, his decline of Q and his time-out on R; not the others on P',
      );
      const ann = await report('Agents', ANN1);
      assert.deepEqual(
        ann.map((a: Row) => [a.AgentId, a.Requested, ...offers(a)]),
        [[ids.ann1, 0, 1, 1]],
      );
      const manager = await report('Agents', OLA2);
      assert.deepEqual(
        manager.map((a: Row) => [a.AgentId, a.Requested, ...offers(a)]),
        [
          [ids.deu4, 0, 1, 1],
          [ids.ola2, 1, 0, 0],
          [ids.tje0, 0, 1, 0],
          [0, 1, 0, 0], // Z
        ],
        'ola2 manages Salg: Q and Z and every offer missed on them',
      );
    });

    test('retention: purged sessions take their missed offers with them', async () => {
      await app.sweeper.runOnce(); // ended over 90 days ago: Deleted, then purged
      await app.sweeper.runOnce();
      const summary = await report('Summary', ADM0);
      assert.deepEqual([summary.Requested, ...offers(summary)], [0, 0, 0]);
    });
  });
}
