// Parley/Reports through the HTTP stack on a hand-built month of sessions (March 2024, Europe/Oslo, which moves
// to summer time on the 31st): every measure's figure is worked out below from the sessions' times.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChatSessionStatus as S } from '../../src/domain/enums.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { reportedSession as build } from '../helpers/factories.ts';
import { ADM0, call, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

const BASE = '/api/v1/Parley/Reports/';
const SUPPORT = 1;
const SALES = 2;
const OSLO = { 'so-timezone': 'Europe/Oslo', 'so-language': 'x' };
const MARCH = { From: '2024-03-01', To: '2024-04-01' };

for (const { kind, skip } of await databaseKinds()) {
  describe(`reports on ${kind}`, { skip }, () => {
    let app: TestApp;
    let ids: Record<string, number>;
    const report = async (name: string, auth: string, body: Record<string, unknown> = MARCH, headers: Record<string, string> = OSLO) => {
      const res = await call(app, `${BASE}${name}`, { auth, body, headers });
      assert.equal(res.status, 200, res.body);
      return res;
    };

    before(async () => {
      app = await startTestApp({ kind });
      ids = Object.fromEntries((await app.store.associates.list()).map((a) => [a.userName, a.id]));
      const { tje0, ann1 } = ids;
      // A: Mon 4 March 09:00 local. Customer writes at +30 s, picked up at +60 s, answered at +90 s, ended at +600 s.
      await build(app, {
        topicId: SUPPORT,
        userId: tje0,
        status: S.Finished,
        requested: '2024-03-04T08:00:00Z',
        started: 60,
        ended: 600,
        customerAt: [30, 200],
        answersAt: [90, 300],
        rating: 5,
      });
      // B: Mon 09:30. Picked up at +120, customer at +130, answer at +150; transferred once; ended at +420.
      await build(app, {
        topicId: SUPPORT,
        userId: tje0,
        status: S.Closed,
        requested: '2024-03-04T08:30:00Z',
        started: 120,
        ended: 420,
        customerAt: [130],
        answersAt: [150],
        transfers: 1,
        rating: 3,
      });
      // C: Tue 5 March 14:00. The agent greets at +301 before the customer writes (+310); answers at +400; ended at +1200.
      await build(app, {
        topicId: SUPPORT,
        userId: ann1,
        status: S.Finished,
        requested: '2024-03-05T13:00:00Z',
        started: 300,
        ended: 1200,
        customerAt: [310],
        answersAt: [301, 400],
        rating: 4,
      });
      // D: Tue 14:10, left the queue after 200 s: missed.
      await build(app, { topicId: SUPPORT, userId: null, status: S.ClosedFromQueue, requested: '2024-03-05T13:10:00Z', ended: 200, customerAt: [10] });
      // E: Sun 31 March 12:00 summer time, sent the offline form: missed and an offline request.
      await build(app, { topicId: SALES, userId: null, status: S.RequestPosted, requested: '2024-03-31T10:00:00Z', ended: 60 });
      // F: 23:30 UTC on the 30th is 00:30 on Sunday the 31st in Oslo. A bot answered, nobody picked it up.
      await build(app, { topicId: SALES, userId: null, status: S.Finished, requested: '2024-03-30T23:30:00Z', ended: 100, customerAt: [5], botLines: 2 });
      // Left out: a Deleted session, and one requested 00:30 on 1 April local (after To).
      await build(app, { topicId: SUPPORT, userId: tje0, status: S.Deleted, requested: '2024-03-06T08:00:00Z', started: 1, ended: 2, rating: 1 });
      await build(app, { topicId: SUPPORT, userId: tje0, status: S.Finished, requested: '2024-03-31T22:30:00Z', started: 1, ended: 2, rating: 1 });
    });
    after(async () => app?.close());

    test('Summary: every measure over the month, as worked out from the sessions', async () => {
      const { json } = await report('Summary', ADM0);
      assert.deepEqual(json, {
        Requested: 6, // A-F
        Answered: 3, // A, B, C
        Missed: 2, // D (left the queue), E (offline form)
        OfflineRequests: 1, // E
        Transfers: 1, // B
        BotOnly: 1, // F
        // Waits 60, 120, 300: average 160; nearest rank: median the 2nd of 3, p90 the 3rd.
        WaitAverage: 160,
        WaitMedian: 120,
        WaitP90: 300,
        // First responses: A 30→90 = 60, B 130→150 = 20, C 310→400 = 90 (the greeting at 301 came first).
        FirstResponseAverage: 56.7,
        FirstResponseMedian: 60,
        FirstResponseP90: 90,
        // Handling: A 600-60 = 540, B 420-120 = 300, C 1200-300 = 900.
        HandlingAverage: 580,
        HandlingMedian: 540,
        HandlingP90: 900,
        Ratings: 3,
        RatingAverage: 4,
        Rating1: 0,
        Rating2: 0,
        Rating3: 1,
        Rating4: 1,
        Rating5: 1,
        OffersDeclined: 0, // no routing here: see report-routing.test.ts
        OffersTimedOut: 0,
      });
    });

    test('Agents: per owner, chats nobody answered last as agent 0; Topics: per topic by name', async () => {
      const { json: agents } = await report('Agents', ADM0);
      assert.deepEqual(
        agents.map((r: Record<string, unknown>) => [
          r.AgentId,
          r.AgentName,
          r.Requested,
          r.Answered,
          r.Missed,
          r.BotOnly,
          r.Transfers,
          r.WaitAverage,
          r.WaitMedian,
          r.WaitP90,
          r.RatingAverage,
        ]),
        [
          [ids.ann1, 'Anne Berg', 1, 1, 0, 0, 0, 300, 300, 300, 4],
          // Waits 60 and 120: median the 1st of 2, p90 the 2nd.
          [ids.tje0, 'Tor Jensen', 2, 2, 0, 0, 1, 90, 60, 120, 4],
          [0, '', 3, 0, 2, 1, 0, null, null, null, null],
        ],
      );
      const { json: topics } = await report('Topics', ADM0);
      assert.deepEqual(
        topics.map((r: Record<string, unknown>) => [r.TopicId, r.Requested, r.Answered, r.Missed]),
        [
          [SALES, 2, 0, 1], // by stored name: "Salg" before "US:\"Customer support\";…"
          [SUPPORT, 4, 3, 1],
        ],
      );
    });

    test('Periods: local days (the 31st of March is one day across the DST change), weeks from Monday, hours', async () => {
      const { json: days } = await report('Periods', ADM0, { ...MARCH, Grouping: 'Day' });
      assert.equal(days.length, 31);
      assert.equal(days[0].Period, '2024-03-01T00:00:00');
      const busy = days.filter((d: { Requested: number }) => d.Requested > 0).map((d: { Period: string; Requested: number }) => [d.Period, d.Requested]);
      assert.deepEqual(busy, [
        ['2024-03-04T00:00:00', 2],
        ['2024-03-05T00:00:00', 2],
        ['2024-03-31T00:00:00', 2], // F at 00:30 local counts on the 31st, not the 30th (UTC)
      ]);
      const { json: weeks } = await report('Periods', ADM0, { ...MARCH, Grouping: 'Week' });
      assert.deepEqual(
        weeks.map((w: { Period: string; Requested: number }) => [w.Period, w.Requested]),
        [
          ['2024-02-26T00:00:00', 0],
          ['2024-03-04T00:00:00', 4],
          ['2024-03-11T00:00:00', 0],
          ['2024-03-18T00:00:00', 0],
          ['2024-03-25T00:00:00', 2],
        ],
      );
      const { json: hours } = await report('Periods', ADM0, { From: '2024-03-31', To: '2024-04-01', Grouping: 'Hour' });
      assert.equal(hours.length, 23, 'the spring-forward day has 23 hours');
      assert.equal(hours[2].Period, '2024-03-31T03:00:00');
      const { json: inUtc } = await report('Periods', ADM0, { ...MARCH, Grouping: 'Day' }, { 'so-timezone': 'UTC' });
      assert.equal(inUtc.find((d: { Period: string }) => d.Period === '2024-03-30T00:00:00').Requested, 1, 'in UTC, F is on the 30th');
      const bad = await call(app, `${BASE}Periods`, { auth: ADM0, body: { ...MARCH, Grouping: 'Fortnight' } });
      assert.equal(bad.status, 400, bad.body);
    });

    test('BusiestHours: 168 local weekday × hour cells', async () => {
      const { json } = await report('BusiestHours', ADM0);
      assert.equal(json.length, 168);
      const busy = json
        .filter((c: { Requested: number }) => c.Requested > 0)
        .map((c: { Weekday: number; Hour: number; Requested: number }) => [c.Weekday, c.Hour, c.Requested]);
      assert.deepEqual(busy, [
        [1, 9, 2], // A, B: Monday 09 local
        [2, 14, 2], // C, D: Tuesday 14
        [7, 0, 1], // F: Sunday 00:30
        [7, 12, 1], // E: Sunday 12:00 summer time
      ]);
    });

    test('rights: an agent sees only their own chats, a topic manager only their topics', async () => {
      const { json: own } = await report('Agents', TJE0);
      assert.deepEqual(
        own.map((r: { AgentId: number; Requested: number }) => [r.AgentId, r.Requested]),
        [[ids.tje0, 2]],
      );
      assert.equal(
        (await report('Summary', TJE0, { ...MARCH, TopicIds: [SUPPORT], AgentIds: [ids.ann1] })).json.Requested,
        0,
        "asking for a colleague's chats gives nothing",
      );
      const { json: manager } = await report('Summary', OLA2);
      assert.equal(manager.Requested, 2, 'ola2 manages Salg: E and F');
      assert.equal(manager.BotOnly, 1);
      assert.equal((await report('Summary', ADM0, { ...MARCH, AgentIds: [ids.tje0] })).json.Requested, 2);
    });

    test('text/csv: RFC 4180 quoting, formula cells disarmed, $select picks the columns; errors stay JSON', async () => {
      await app.store.db.updateTable('associates').set({ full_name: '=HYPERLINK("http://evil")' }).where('id', '=', ids.ann1).execute();
      const res = await report('Agents', ADM0, MARCH, { ...OSLO, accept: 'text/csv' });
      assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="ReportsAgents.csv"/);
      const lines = res.body.split('\r\n');
      assert.match(lines[0], /^AgentId,AgentName,Requested,Answered,Missed,/);
      assert.equal(lines[1].split(',').slice(0, 2).join(','), `${ids.ann1},"'=HYPERLINK(""http://evil"")"`);
      assert.equal(lines.at(-1), '', 'the last line ends with CRLF');
      const selected = await call(app, `${BASE}Periods?$select=Period,Requested`, {
        auth: ADM0,
        body: { ...MARCH, Grouping: 'Week' },
        headers: { ...OSLO, accept: 'text/csv' },
      });
      assert.equal(
        selected.body,
        'Period,Requested\r\n2024-02-26T00:00:00,0\r\n2024-03-04T00:00:00,4\r\n2024-03-11T00:00:00,0\r\n2024-03-18T00:00:00,0\r\n2024-03-25T00:00:00,2\r\n',
      );
      const error = await call(app, `${BASE}Summary`, { auth: ADM0, body: { From: '2024-04-01', To: '2024-03-01' }, headers: { accept: 'text/csv' } });
      assert.equal(error.status, 400);
      assert.equal(error.json.Error, true);
      const notOffered = await call(app, '/api/v1/Parley/Audit/List', { auth: ADM0, body: {}, headers: { accept: 'text/csv' } });
      assert.equal(notOffered.status, 406, 'only reports offer CSV');
    });

    test('XML answers, XML bodies with lists, and the range limit', async () => {
      const xml = await report('Summary', ADM0, MARCH, { ...OSLO, accept: 'application/xml' });
      assert.match(xml.body, /<ParleyReportSummary[^>]*><Requested>6<\/Requested>/);
      // An XML body: lists as repeated <int> children (one child is a list of one), as SuperOffice's XML writes them.
      const xmlBody = async (inner: string) => {
        const res = await call(app, `${BASE}Summary`, {
          auth: ADM0,
          rawBody: `<ReportRequest><From>2024-03-01</From><To>2024-04-01</To>${inner}</ReportRequest>`,
          contentType: 'application/xml',
          headers: OSLO,
        });
        assert.equal(res.status, 200, res.body);
        return res.json.Requested;
      };
      assert.equal(await xmlBody(`<AgentIds><int>${ids.tje0}</int></AgentIds>`), 2, "tje0's two chats");
      assert.equal(
        await xmlBody(`<AgentIds><int>${ids.tje0}</int><int>${ids.ann1}</int></AgentIds>`),
        (await report('Summary', ADM0, { ...MARCH, AgentIds: [ids.tje0, ids.ann1] })).json.Requested,
      );
      assert.equal(await xmlBody(`<TopicIds><int>${SUPPORT}</int><int>${SALES}</int></TopicIds>`), 6);
      assert.equal(await xmlBody(`<TopicIds><int>${SALES}</int></TopicIds>`), 2, 'Salg: E and F');
      const wrong = await call(app, `${BASE}Summary`, {
        auth: ADM0,
        rawBody: '<ReportRequest><From>2024-03-01</From><To>2024-04-01</To><TopicIds><int>one</int></TopicIds></ReportRequest>',
        contentType: 'application/xml',
      });
      assert.equal(wrong.status, 400, wrong.body);
      assert.match(wrong.json.ErrorMessage, /TopicIds\[0\]/);
      const long = await call(app, `${BASE}Summary`, { auth: ADM0, body: { From: '2023-01-01', To: '2024-03-01' } });
      assert.equal(long.status, 400, long.body);
      assert.match(long.json.ErrorMessage, /400 days/);
    });

    test('retention wins: once the sweeper marks and purges the ended sessions, they leave the reports', async () => {
      assert.equal((await report('Summary', ADM0)).json.Requested, 6);
      await app.sweeper.runOnce(); // ended over 90 days ago: Deleted, and purged (ended over 91 days ago)
      await app.sweeper.runOnce();
      const after = (await report('Summary', ADM0)).json;
      assert.equal(after.Requested, 0);
      assert.equal(after.Ratings, 0);
      assert.equal(after.WaitMedian, null);
    });
  });
}
