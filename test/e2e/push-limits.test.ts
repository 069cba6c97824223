// Push streams at their limits: the retention window, credentials that end mid-stream, and slow readers.
// The demo data these tests rely on, and the helpers they share: test/helpers/push-kit.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { hashPassword } from '../../src/auth/passwords.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { type SseFrame, SseParser, type SseStream, sleep } from '../helpers/sse.ts';
import { call, DEU4, OLA2, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

import { SUPPORT, assertIncreasing, sessionOf, kit, listen } from '../helpers/push-kit.ts';

for (const { kind, skip } of await databaseKinds()) {
  describe(`Push retention window with the sweeper on ${kind}`, { skip }, () => {
    const clock = {
      t: Date.now(),
      now() {
        return new Date(this.t);
      },
    };
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    before(async () => {
      // Only the outbox rule matters here: the widget of this test's session does not poll, so the dead-chat rule stays off.
      app = await startTestApp({ kind, clock, env: { PARLEY_EVENT_RETENTION_HOURS: '1', PARLEY_DEAD_SESSION_MINUTES: '0' } });
      base = await listen(app);
    });
    after(async () => {
      k.closeAll();
      await app?.close();
    });

    test('events older than PARLEY_EVENT_RETENTION_HOURS are swept; a client that missed them must resync', async () => {
      const stream = await k.agentStream(TJE0);
      const v = await k.openVisitor('Two hours ago');
      const seen = await stream.take((f) => f.event === 'message.added' && sessionOf(f) === v.id);
      stream.close();
      await k.post(v.key, 'missed, then swept');
      clock.t += 2 * 3_600_000;
      await app.sweeper.runOnce();
      assert.ok(((await app.store.events.oldestId()) ?? Infinity) > Number(seen.id) + 1, 'the missed event is gone');
      const back = await k.agentStream(TJE0, '', { 'last-event-id': seen.id! });
      const resync = await back.take((f) => f.event === 'resync');
      assert.match(resync.json.Reason, /no longer kept/);
      assert.ok(!back.frames.some((f) => f.json?.Message?.Message === 'missed, then swept'));
      // Within the window a reconnect replays as usual.
      const mark = Number(resync.id);
      await k.post(v.key, 'after the sweep');
      const live = await back.take((f) => f.json?.Message?.Message === 'after the sweep');
      back.close();
      await k.post(v.key, 'replayable');
      const again = await k.agentStream(TJE0, '', { 'last-event-id': live.id! });
      await again.take((f) => f.json?.Message?.Message === 'replayable');
      assert.ok(!again.frames.some((f) => f.event === 'resync'));
      assert.ok(Number(live.id) > mark);
    });
  });

  describe(`Push credentials re-checked on ${kind}`, { skip }, () => {
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_PUSH_RECHECK_SECONDS: '1' } });
      base = await listen(app);
    });
    afterEach(() => k.closeAll());
    after(async () => {
      k.closeAll();
      await app?.close();
    });

    const ticketOf = async (user: string, password: string) =>
      `SOTicket ${(await k.agent('', '/api/v1/Parley/Authentication/Ticket', { UserName: user, Password: password })).Ticket}`;
    /** The stream's last frame is `unauthorized` (no id: Last-Event-ID stays the last event) and the server ended it. */
    async function assertEndedUnauthorized(stream: SseStream, reason: RegExp) {
      const last = await stream.take((f) => f.event === 'unauthorized');
      assert.match(last.json.Reason, reason);
      assert.equal(last.id, undefined);
      await Promise.race([stream.ended, sleep(3000).then(() => assert.fail('the stream did not end'))]);
      assert.deepEqual(stream.pending(), [], 'nothing after it');
    }

    test("a stream opened with a SoTicket ends with unauthorized after Logout of that ticket; another ticket's stream goes on", async () => {
      const [ticket, other] = [await ticketOf('tje0', 'Tje0'), await ticketOf('tje0', 'Tje0')];
      const stream = await k.agentStream(ticket);
      const still = await k.agentStream(other);
      assert.equal(stream.status, 200);
      await k.agent(ticket, '/api/v1/Parley/Authentication/Logout');
      await assertEndedUnauthorized(stream, /SoTicket is unknown, expired or revoked/);
      assert.equal((await k.agentStream(ticket)).status, 401, 'and it cannot come back');
      const v = await k.openVisitor('Still listening?');
      await still.take((f) => f.event === 'session.created' && sessionOf(f) === v.id);
      assert.ok(!still.frames.some((f) => f.event === 'unauthorized'));
    });

    test("a web session's stream ends after its Logout", async () => {
      const login = await call(app, '/api/v1/Parley/Authentication/Session', { body: { UserName: 'ann1', Password: 'Ann1' } });
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
      const xsrf = login.json.XsrfToken as string;
      const cookie = cookies.join('; ');
      const stream = await k.agentStream(undefined, `?xsrf=${encodeURIComponent(xsrf)}`, { cookie });
      assert.equal(stream.status, 200);
      assert.equal((await call(app, '/api/v1/Parley/Authentication/Logout', { headers: { cookie, 'x-xsrf-token': xsrf } })).status, 204);
      await assertEndedUnauthorized(stream, /session has ended/);
    });

    test('a Basic stream is re-checked without hashing again, and ends once the password changed', async () => {
      const stream = await k.agentStream(OLA2);
      assert.equal(stream.status, 200);
      const auth = app.auth as unknown as { login: (...args: unknown[]) => unknown };
      const login = auth.login;
      let logins = 0;
      auth.login = function (this: unknown, ...args: unknown[]) {
        logins++;
        return login.apply(this, args);
      };
      try {
        app.auth.forgetUser(await k.userId('ola2')); // what was verified is forgotten: a recheck cannot lean on it
        await sleep(2500); // two checks
        assert.ok(!stream.frames.some((f) => f.event === 'unauthorized'), 'unchanged credentials keep the stream');
        assert.equal(logins, 0, 'no password was checked again');
      } finally {
        auth.login = login;
      }
      await app.store.associates.setPassword(await k.userId('ola2'), await hashPassword('Ola2-new'), new Date());
      await assertEndedUnauthorized(stream, /password changed/);
      await app.store.associates.setPassword(await k.userId('ola2'), await hashPassword('Ola2'), new Date());
    });

    test("a removed user's stream ends; a user made administrator sees every topic from the next check on", async () => {
      const uid = await app.store.associates.insert({ userName: 'leaver', fullName: 'Lea Ver', passwordHash: null, isAdmin: false }, new Date());
      const { ticket } = await app.auth.issue.ticket((await app.store.associates.byId(uid))!);
      const leaver = await k.agentStream(`SOTicket ${ticket}`);
      assert.equal(leaver.status, 200);
      const deu4 = await k.agentStream(DEU4);
      const tje0 = await k.agentStream(TJE0);
      const before = await k.openVisitor('Not for Vertrieb');
      await tje0.take((f) => f.event === 'session.created' && sessionOf(f) === before.id);

      // As `parley user` does: change the row, then the server forgets what the user proved.
      await app.store.db.updateTable('associates').set({ deleted: 1 }).where('id', '=', uid).execute();
      await app.store.db.updateTable('associates').set({ is_admin: 1 }).where('user_name', '=', 'deu4').execute();
      app.auth.forgetUser(uid);
      app.auth.forgetUser(await k.userId('deu4'));
      await assertEndedUnauthorized(leaver, /unknown, expired or revoked/);
      // From deu4's next check on (every second), new sessions of every topic reach it.
      let seen: SseFrame | undefined;
      for (let i = 0; i < 20 && !seen; i++) {
        const after = await k.openVisitor(`Now for administrators too ${i}`);
        seen = await deu4.take((f) => f.event === 'session.created' && sessionOf(f) === after.id, 500).catch(() => undefined);
      }
      assert.ok(seen, 'deu4 sees other topics once it is an administrator');
      assert.equal(seen.json.Session.TopicId, SUPPORT);
      assert.ok(!deu4.frames.some((f) => sessionOf(f) === before.id), 'not before the change');
      assert.ok(!deu4.frames.some((f) => f.event === 'unauthorized'));
      await app.store.db.updateTable('associates').set({ is_admin: 0 }).where('user_name', '=', 'deu4').execute();
      app.auth.forgetUser(await k.userId('deu4'));
    });
  });

  describe(`Push back-pressure on ${kind}`, { skip }, () => {
    const MAX = 2048;
    let app: TestApp;
    let base = '';
    const k = kit(
      () => app,
      () => base,
    );
    const sockets = new Set<net.Socket>();
    before(async () => {
      app = await startTestApp({ kind, env: { PARLEY_PUSH_MAX_BUFFER_BYTES: String(MAX) } });
      app.server.server.on('connection', (s: net.Socket) => sockets.add(s));
      base = await listen(app);
    });
    after(async () => {
      k.closeAll();
      await app?.close();
    });

    test('a client that stops reading is cut off with a resync frame; the server keeps no more than the limit for it', async () => {
      const healthy = await k.agentStream(TJE0);
      // The slow client: reads the answer's head, then nothing.
      const slow = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.get(`${base}/api/v1/Push/Agent`, { headers: { authorization: TJE0 }, agent: false }, (res) => {
          res.pause();
          resolve(res);
        });
        req.on('error', reject);
      });
      assert.equal(slow.statusCode, 200);
      await sleep(100);
      assert.equal(app.hub.size, 2);

      const lars = await k.demoSession(TJE0, 'Lars Lund');
      const big = 'x'.repeat(30_000);
      let peak = 0;
      let produced = 0;
      const sample = () => {
        for (const s of sockets) peak = Math.max(peak, s.writableLength);
      };
      for (let i = 0; i < 1000 && app.hub.size === 2; i++) {
        await k.say(TJE0, lars, `${i} ${big}`);
        produced++;
        sample();
      }
      assert.equal(app.hub.size, 1, `the slow client was cut off (after ${produced} messages of 30 kB)`);
      const producedAtCut = produced;
      // Kernel buffers took megabytes before Parley had to hold anything: this was a real back-log.
      assert.ok(produced > 20, `${produced} messages before the cut`);
      // More events: nothing more is kept for the client that was cut off.
      for (let i = 0; i < 60; i++) {
        await k.say(TJE0, lars, `after ${i} ${big}`);
        produced++;
        sample();
      }

      // The healthy reader was never cut off and got every message.
      await healthy.until((fs) => fs.filter((f) => f.event === 'message.added').length >= produced, 20_000, 'all messages on the healthy stream');
      assert.ok(!healthy.frames.some((f) => f.event === 'resync'));
      assert.equal(healthy.isEnded(), false);
      // What the server may hold for the slow client: the limit, the frame that went over it, the one written
      // before the overrun was noticed (streams are judged once a tick's writes went out), and the resync notice.
      const frameBytes = Math.max(...healthy.frames.map((f) => Buffer.byteLength(f.data) + 64));
      const bound = MAX + 2 * frameBytes + 256;
      assert.ok(peak <= bound, `server-side buffer peaked at ${peak} bytes (bound ${bound})`);

      // The slow client finally reads: what was in flight, then the resync notice, then the end of the stream.
      const frames: SseFrame[] = [];
      const parser = new SseParser((f) => frames.push(f));
      slow.setEncoding('utf8');
      slow.on('data', (c: string) => parser.push(c));
      const ended = new Promise((resolve) => slow.once('end', resolve));
      slow.resume();
      await ended;
      assert.equal(frames.at(-1)!.event, 'resync');
      assert.match(frames.at(-1)!.json.Reason, /Too far behind/);
      assert.equal(frames.at(-1)!.id, frames.at(-2)!.id, 'the resync names the last event written, to resume after a reload');
      const delivered = frames.filter((f) => f.event === 'message.added').length;
      assert.ok(
        delivered <= producedAtCut,
        `the slow client got ${delivered} of ${produced}, cut after ${producedAtCut}: nothing after the cut was kept for it`,
      );
      assertIncreasing(frames.slice(0, -1));
    });
  });
}
