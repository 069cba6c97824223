// Push streams over a real socket, resumed without gaps: Last-Event-ID replays exactly what the viewer missed, a
// stream's answer carries the id it starts from, ids unknown or past the outbox window mean resync, a long replay is
// not a slow client, and (PostgreSQL) events committed out of id order are delivered in id order. The demo data
// these tests rely on, and the helpers they share: test/helpers/push-kit.ts.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseKinds } from '../helpers/databases.ts';
import { sleep } from '../helpers/sse.ts';
import { DEU4, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { ids, assertIncreasing, sessionOf, kit, listen, rawEvent } from '../helpers/push-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Push streams resumed on ${kind}`, { skip }, () => {
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_PUSH_HEARTBEAT_SECONDS: '1' } });
      base = await listen(app);
    });
    afterEach(() => k.closeAll());
    after(async () => {
      k.closeAll();
      await app?.close();
    });

    test('reconnecting with Last-Event-ID gives exactly the missed events the viewer may see, in order, once; then live ones', async () => {
      const v = await k.openVisitor('Before the break');
      const jonas = await k.demoSession(DEU4, 'Jonas');
      const first = await k.agentStream(TJE0);
      await k.post(v.key, 'Still connected');
      const seen = await first.take((f) => f.json?.Message?.Message === 'Still connected');
      first.close();
      await first.ended;

      // Five events tje0 may see, and three of Vertrieb it may not, interleaved.
      for (let i = 1; i <= 5; i++) {
        await k.post(v.key, `missed ${i}`);
        if (i <= 3) await k.say(DEU4, jonas, `not for tje0 ${i}`);
      }
      const again = await k.agentStream(TJE0, '', { 'last-event-id': seen.id! });
      const replayed = await again.until((fs) => fs.length >= 5, 5000, 'five replayed events');
      await k.post(v.key, 'live again');
      await again.take((f) => f.json?.Message?.Message === 'live again');
      const before = again.frames.slice(
        0,
        again.frames.findIndex((f) => f.json?.Message?.Message === 'live again'),
      );
      assert.deepEqual(
        before.map((f) => f.json.Message.Message),
        ['missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5'],
      );
      assert.ok(before.every((f) => f.event === 'message.added' && Number(f.id) > Number(seen.id)));
      assertIncreasing(again.frames);
      assert.equal(new Set(ids(again.frames)).size, again.frames.length, 'no duplicates');
      assert.ok(replayed.length >= 5);

      // The same through ?lastEventId= (EventSource cannot set headers on a first connection).
      const third = await k.agentStream(TJE0, `?lastEventId=${before[2].id}`);
      await third.until((fs) => fs.length >= 3, 5000, 'replay from the query parameter');
      assert.deepEqual(
        third.frames.slice(0, 3).map((f) => f.json.Message.Message),
        ['missed 4', 'missed 5', 'live again'],
      );
    });

    test('a stream answers once it is attached, with the id it starts from: a client cut before its first event misses nothing', async () => {
      const v = await k.openVisitor('Cut early');
      // No await between the answer and the post: what commits once the client has its 200 is the stream's.
      const live = await k.agentStream(TJE0);
      await k.post(v.key, 'right after the answer');
      await live.take((f) => f.json?.Message?.Message === 'right after the answer');

      const quiet = await k.agentStream(TJE0);
      await quiet.until(() => quiet.comments.includes('connected'), 5000, 'the opening block');
      const startId = quiet.lastEventId;
      assert.match(startId ?? '', /^\d+$/, 'the opening block carries an id (it dispatches no event)');
      assert.equal(Number(startId), Number(await app.store.events.lastId()), 'the stream starts after everything handed out so far');
      assert.deepEqual(quiet.frames, [], 'an id-only block is no frame');
      quiet.close();
      await quiet.ended;
      await k.post(v.key, 'while cut');
      const resumed = await k.agentStream(TJE0, '', { 'last-event-id': startId! });
      const got = await resumed.take((f) => f.event === 'message.added');
      assert.equal(got.json.Message.Message, 'while cut');
    });

    test('a visitor resumes with Last-Event-ID too', async () => {
      const v = await k.openVisitor('Visitor before the break');
      const first = await k.visitorStream(v.key);
      await k.post(v.key, 'one');
      const seen = await first.take((f) => f.json?.Message?.Message === 'one');
      first.close();
      await first.ended;
      await k.post(v.key, 'two');
      await k.post(v.key, 'three');
      const again = await k.visitorStream(v.key, '', { 'last-event-id': seen.id! });
      await again.until((fs) => fs.length >= 2, 5000, 'two replayed messages');
      assert.deepEqual(
        again.frames.map((f) => f.json.Message.Message),
        ['two', 'three'],
      );
    });

    test('a client ahead of this instance (served by another one) gets nothing twice; an id never handed out means resync', async () => {
      const watcher = await k.agentStream(TJE0);
      // Another instance wrote an event this one has not read yet: a row this instance is not told about.
      const raw = await rawEvent(app, { type: 'presence.changed', payload: { userId: await k.userId('ola2'), present: false } });
      // The client got it from the other instance and comes here with its id.
      const ahead = await k.agentStream(TJE0, '', { 'last-event-id': String(raw) });
      const v = await k.openVisitor('After the other instance');
      const created = await ahead.take((f) => f.event === 'session.created' && sessionOf(f) === v.id);
      assert.ok(
        ahead.frames.every((f) => Number(f.id) > raw),
        `nothing at or before ${raw}: ${ids(ahead.frames).join(', ')}`,
      );
      // The instance's own clients do get the row, in order.
      await watcher.take((f) => f.id === created.id);
      assert.ok(watcher.frames.some((f) => Number(f.id) === raw && f.event === 'presence.changed'));
      assertIncreasing(watcher.frames);

      const unknown = await k.agentStream(TJE0, '', { 'last-event-id': String(raw + 1_000_000) });
      const resync = await unknown.take((f) => f.event === 'resync');
      assert.match(resync.json.Reason, /reload/);
    });

    test('a reconnect that replays a backlog larger than the buffer limit is not mistaken for a slow client', async () => {
      const from = await app.store.events.lastId();
      const lars = await k.demoSession(TJE0, 'Lars Lund');
      // About 2 MB of frames, twice PARLEY_PUSH_MAX_BUFFER_BYTES' default: all due at once on reconnect.
      const text = 'y'.repeat(4000);
      for (let i = 0; i < 400; i++) await k.say(TJE0, lars, `backlog ${i} ${text}`);
      const stream = await k.agentStream(TJE0, '', { 'last-event-id': String(from) });
      await stream.until((fs) => fs.filter((f) => f.event === 'message.added').length >= 400, 20_000, 'the whole backlog');
      assert.ok(!stream.frames.some((f) => f.event === 'resync'));
      assertIncreasing(stream.frames);
      assert.equal(stream.isEnded(), false);
    });

    test('past the outbox window the reconnecting client is told to resync, then gets live events', async () => {
      // A second stream stays connected: once it has 'gone 2', the hub has handed those events out, as it long
      // has in real life when retention removes them (deleting events the hub has not read yet is another story).
      const witness = await k.agentStream(TJE0);
      const first = await k.agentStream(TJE0);
      const v = await k.openVisitor('Old times');
      const seen = await first.take((f) => f.event === 'session.created' && sessionOf(f) === v.id);
      first.close();
      await k.post(v.key, 'gone 1');
      await k.post(v.key, 'gone 2');
      await witness.take((f) => f.json?.Message?.Message === 'gone 2');
      // The outbox no longer reaches back to the client's next event.
      await app.store.db
        .deleteFrom('outbox_events')
        .where('id', '<=', Number(seen.id) + 1)
        .execute();
      const back = await k.agentStream(TJE0, '', { 'last-event-id': seen.id! });
      const resync = await back.take((f) => f.event === 'resync');
      assert.match(resync.json.Reason, /no longer kept/);
      assert.equal(back.frames.filter((f) => f.event === 'message.added').length, 0, 'no partial replay');
      await k.post(v.key, 'fresh');
      const fresh = await back.take((f) => f.json?.Message?.Message === 'fresh');

      // Nothing kept at all: still a resync, never a silent gap.
      back.close();
      await k.post(v.key, 'lost with the outbox');
      await witness.take((f) => f.json?.Message?.Message === 'lost with the outbox');
      await app.store.db.deleteFrom('outbox_events').execute();
      const empty = await k.agentStream(TJE0, '', { 'last-event-id': fresh.id! });
      await empty.take((f) => f.event === 'resync');
      await k.post(v.key, 'and on it goes');
      await empty.take((f) => f.json?.Message?.Message === 'and on it goes');
      assert.ok(!empty.frames.some((f) => f.json?.Message?.Message === 'lost with the outbox'));
    });

    if (kind === 'postgres') {
      test('an event committed out of id order is delivered in id order, and the hub stops looking once the gap filled', async () => {
        const stream = await k.agentStream(TJE0);
        const client = new pg.Client({ connectionString: app.testDb.url });
        await client.connect();
        try {
          await client.query('begin');
          const held = Number(
            (
              await client.query(
                `insert into outbox_events (type, topic_id, session_id, associate_id, payload, created_at)
            values ('presence.changed', null, null, null, $1, now()) returning id`,
                [JSON.stringify({ userId: await k.userId('ola2'), present: false })],
              )
            ).rows[0].id,
          );
          const v = await k.openVisitor('Committed after a lower id');
          await sleep(400);
          assert.ok(!stream.frames.some((f) => sessionOf(f) === v.id), 'a later id is not delivered while a lower one may still commit');
          await client.query('commit');
          const created = await stream.take((f) => f.event === 'session.created' && sessionOf(f) === v.id);
          const order = ids(stream.frames);
          assert.ok(order.includes(held), `the held event arrives: ${order.join(', ')}`);
          assert.ok(order.indexOf(held) < order.indexOf(Number(created.id)));
          assertIncreasing(stream.frames);
          // Quiet now: the hub must not keep polling for a gap that is gone.
          const events = app.store.events;
          const original = events.after;
          let reads = 0;
          events.after = function (this: typeof events, ...args: Parameters<typeof original>) {
            reads++;
            return original.apply(this, args);
          };
          try {
            await sleep(1000);
          } finally {
            events.after = original;
          }
          assert.ok(reads <= 2, `${reads} outbox reads in a quiet second`);
        } finally {
          await client.query('rollback').catch(() => {});
          await client.end();
        }
      });

      test('an id that commits while the hub is judging its gap is delivered, not passed over as rolled back', async () => {
        const stream = await k.agentStream(TJE0);
        const client = new pg.Client({ connectionString: app.testDb.url });
        await client.connect();
        const events = app.store.events;
        const original = events.after;
        try {
          await client.query('begin');
          const held = Number(
            (
              await client.query(
                `insert into outbox_events (type, topic_id, session_id, associate_id, payload, created_at)
            values ('presence.changed', null, null, null, $1, now()) returning id`,
                [JSON.stringify({ userId: await k.userId('ola2'), present: false })],
              )
            ).rows[0].id,
          );
          // The worst moment: the hub has read the later events without the held one, and only then does it commit.
          let committed = false;
          events.after = async function (this: typeof events, ...args: Parameters<typeof original>) {
            const rows = await original.apply(this, args);
            if (!committed && rows.some((r) => r.id > held) && !rows.some((r) => r.id === held)) {
              committed = true;
              await client.query('commit');
            }
            return rows;
          };
          const v = await k.openVisitor('Racing the gap check');
          const created = await stream.take((f) => f.event === 'session.created' && sessionOf(f) === v.id, 8000);
          assert.ok(committed, 'the race was staged');
          const order = ids(stream.frames);
          assert.ok(order.includes(held), `the event that committed late arrives: ${order.join(', ')}`);
          assert.ok(order.indexOf(held) < order.indexOf(Number(created.id)));
        } finally {
          events.after = original;
          await client.query('rollback').catch(() => {});
          await client.end();
        }
      });

      test('a rolled-back id leaves a gap the stream passes at once', async () => {
        const stream = await k.agentStream(TJE0);
        const client = new pg.Client({ connectionString: app.testDb.url });
        await client.connect();
        try {
          await client.query('begin');
          await client.query(`insert into outbox_events (type, topic_id, session_id, associate_id, payload, created_at)
            values ('presence.changed', null, null, null, '{}', now())`);
          await client.query('rollback');
        } finally {
          await client.end();
        }
        const started = performance.now();
        const v = await k.openVisitor('After a rolled-back id');
        await stream.take((f) => f.event === 'session.created' && sessionOf(f) === v.id, 3000);
        assert.ok(performance.now() - started < 2000, 'not held back by the gap fallback');
      });
    }
  });
}
