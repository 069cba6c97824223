// E-mail end to end on SQLite and PostgreSQL against a real SMTP server in the test process: the transcript, the
// offline-form receipt and the agents' missed-chat and offline-request mails arrive with the right content, in the
// topic's language; names are encoded, CR/LF never makes a header; failures retry and end visibly failed (CLI,
// metric); a new app on the same database delivers what the old one left queued.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { fillDemoData } from '../../src/demo/demo-data.ts';
import { defaultTopic } from '../../src/domain/defaults.ts';
import { ChatMessageSpecialType, ChatMessageType } from '../../src/domain/enums.ts';
import { migrateToLatest, openDatabase } from '../../src/storage/database.ts';
import type { Mail } from '../../src/storage/mail.repository.ts';
import { createStore } from '../../src/storage/store.ts';
import { createPostgresDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.ts';
import { type ArrivedMail, startSmtpServer } from '../helpers/smtp.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NO_LIMITS = { PARLEY_VISITOR_REQUESTS_PER_MINUTE: '0', PARLEY_VISITOR_SESSIONS_PER_MINUTE: '0', PARLEY_VISITOR_WRITES_PER_MINUTE: '0' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** A database that outlives one app (a SQLite file, or a fresh PostgreSQL database), so a second app can open it. */
async function persistentDb(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres') return createPostgresDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-mail-'));
  return { kind, url: `sqlite:${path.join(dir, 'parley.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function startApp(db: TestDatabase, smtpUrl: string, env: Record<string, string> = {}): Promise<App> {
  return createApp(
    loadConfig({
      DATABASE_URL: db.url,
      PARLEY_TIMEZONE: 'Europe/Oslo',
      PARLEY_SWEEP_SECONDS: '0',
      PARLEY_LOGIN_FAILURES_PER_MINUTE: '0',
      ...NO_LIMITS,
      PARLEY_SMTP_URL: smtpUrl,
      PARLEY_MAIL_FROM: 'Parley <chat@parley.example>',
      PARLEY_MAIL_RETRY_BASE_MS: '100',
      ...env,
    }),
    { logger: false },
  );
}

/**
 * A Norwegian topic offering transcripts and offline requests, named in several languages, where tje0 responds
 * and is notified (with an e-mail address on his person). Returns the topic id.
 */
async function mailTopic(app: App): Promise<number> {
  const base = defaultTopic();
  const id = await app.store.topics.insert({
    ...base,
    name: 'US:"Customer support";NO:"Kundestøtte"',
    ticketEnabled: true,
    widget: { ...base.widget, postTranscriptEnabled: true, languageIsoCode: 'nb' },
  });
  const tje0 = (await app.store.associates.byUserName('tje0'))!;
  await app.store.topicAgents.upsert({ topicId: id, associateId: tje0.id, canListen: false, canRespond: true, canManage: false, canNotify: true });
  const person = await app.store.db
    .insertInto('persons')
    .values({ firstname: 'Tor', lastname: 'Jensen', email: 'tor@parley.example' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await app.store.db.updateTable('associates').set({ person_id: person.id }).where('id', '=', tje0.id).execute();
  return id;
}

async function visitor(app: App, method: string, body: unknown, key?: string) {
  const res = await app.server.inject({
    method: 'POST',
    url: `/api/v1/Visitor/${method}`,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(key ? { 'x-session-key': key } : {}) },
  });
  return { status: res.statusCode, body: res.body, json: res.body ? JSON.parse(res.body) : undefined };
}

async function ok(app: App, method: string, body: unknown, key?: string) {
  const res = await visitor(app, method, body, key);
  assert.equal(res.status, 200, res.body);
  return res.json;
}

const setPresent = (app: App, present: boolean) => app.store.associates.byUserName('tje0').then((a) => app.store.associates.setPresent(a!.id, present));
const to = (m: ArrivedMail) => (Array.isArray(m.parsed.to) ? m.parsed.to[0] : m.parsed.to)!.value[0];
const mailTo = (arrived: ArrivedMail[], address: string, subject: RegExp) =>
  arrived.find((m) => m.envelopeTo.includes(address) && subject.test(m.parsed.subject ?? ''));

function cli(args: string[], databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || k.startsWith('PARLEY_')) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/parley.mjs', ...args], {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const { kind, skip } of await databaseKinds()) {
  describe(`E-mail on ${kind}`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let topic: number;
    before(async () => {
      smtp = await startSmtpServer();
      db = await persistentDb(kind);
      app = await startApp(db, smtp.url);
      await fillDemoData(app.store, new Date(), () => Math.random().toString(36).slice(2));
      topic = await mailTopic(app);
    });
    after(async () => {
      await app?.close();
      await smtp?.close();
      await db?.drop();
    });

    test('a chat that leaves the queue: the notified agent is told; the transcript reaches the customer, in Norwegian, once', async () => {
      const opened = await ok(app, 'OpenSession', {
        ChatTopicId: topic,
        Consented: true,
        CustomerName: 'Åse Ødegård',
        CustomerEmail: 'ase@kunde.example',
        Message: 'Hvor er pakken min?',
      });
      const key = opened.SessionKey as string;
      const sessionId = (await app.store.sessions.byKey(key))!.id;
      assert.equal((await visitor(app, 'MailTranscript', {}, key)).status, 409, 'not before the chat ended');
      // A system line written with a string resource: the transcript translates it as GetChatTranscript does.
      await app.store.messages.insert({
        sessionId,
        type: ChatMessageType.Special,
        author: '',
        message: '[SR_PARLEY_WELCOME]',
        readByCustomer: 1,
        specialType: ChatMessageSpecialType.Welcome,
        specialParam: '',
        whenPosted: new Date(),
        createdBy: null,
      });
      await ok(app, 'End', {}, key);
      await ok(app, 'MailTranscript', {}, key);
      const again = await visitor(app, 'MailTranscript', { Email: 'other@kunde.example' }, key);
      assert.equal(again.status, 409, again.body);

      const transcript = await until('the transcript', () => mailTo(smtp.arrived, 'ase@kunde.example', /Din chat med Kundestøtte/));
      assert.deepEqual(to(transcript), { name: 'Åse Ødegård', address: 'ase@kunde.example' });
      assert.match(transcript.parsed.text!, /Hei Åse Ødegård/);
      assert.match(transcript.parsed.text!, /Åse Ødegård: Hvor er pakken min\?/);
      assert.match(transcript.parsed.text!, /Hei! Hva kan vi hjelpe deg med i dag\?/);
      assert.doesNotMatch(transcript.parsed.text!, /SR_PARLEY/);
      assert.match(transcript.raw, /^Subject: =\?UTF-8\?/m, 'the non-ASCII subject is encoded');
      assert.equal(transcript.parsed.from!.value[0].address, 'chat@parley.example');

      const missed = await until('the missed-chat mail', () => mailTo(smtp.arrived, 'tor@parley.example', /Ubesvart chat i Kundestøtte fra Åse Ødegård/));
      assert.match(missed.parsed.text!, /kunden forlot køen/);
      assert.match(missed.parsed.text!, /Hvor er pakken min\?/);
      assert.match(missed.parsed.text!, new RegExp(`Chat: ${sessionId}\\b`));
      await until('all sent', async () => (await app.store.mail.list()).every((m) => m.state === 'sent'));
      assert.equal(smtp.arrived.filter((m) => m.envelopeTo.includes('ase@kunde.example')).length, 1);
    });

    test('two transcript requests at once: one is queued, the other refused', async () => {
      const opened = await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true, CustomerEmail: 'twice@kunde.example' });
      await ok(app, 'End', {}, opened.SessionKey);
      const answers = await Promise.all([1, 2, 3].map(() => visitor(app, 'MailTranscript', {}, opened.SessionKey)));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409, 409], answers.map((a) => a.body).join('\n'));
      await until('the transcript', () => mailTo(smtp.arrived, 'twice@kunde.example', /Din chat/));
      const sessionId = (await app.store.sessions.byKey(opened.SessionKey))!.id;
      assert.equal((await app.store.mail.list()).filter((m) => m.sessionId === sessionId && m.kind === 'transcript').length, 1);
    });

    test('a topic without PostTranscriptEnabled sends no transcript', async () => {
      const base = defaultTopic();
      const plain = await app.store.topics.insert({ ...base, name: 'No transcripts' });
      const opened = await ok(app, 'OpenSession', { ChatTopicId: plain, Consented: true, CustomerEmail: 'x@kunde.example' });
      await ok(app, 'End', {}, opened.SessionKey);
      const res = await visitor(app, 'MailTranscript', {}, opened.SessionKey);
      assert.equal(res.status, 409, res.body);
      assert.match(JSON.parse(res.body).ErrorMessage, /transcripts/);
    });

    test('an offline request: a receipt with the ticket number and the text to the customer, and the request to the agent', async () => {
      await setPresent(app, false);
      let key: string;
      try {
        const opened = await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true });
        assert.equal(opened.Session.Status, 'OfflineForm');
        key = opened.SessionKey;
      } finally {
        await setPresent(app, true);
      }
      const posted = await ok(
        app,
        'SubmitOfflineForm',
        { Message: 'Ring meg i morgen\nTakk', CustomerName: 'Bjørn Ås', CustomerEmail: 'bjorn@kunde.example' },
        key,
      );
      const ticket = posted.TicketId as number;
      assert.ok(ticket > 0);
      const receipt = await until('the receipt', () => mailTo(smtp.arrived, 'bjorn@kunde.example', new RegExp(`henvendelsen din ${ticket} \\(Kundestøtte\\)`)));
      assert.deepEqual(to(receipt), { name: 'Bjørn Ås', address: 'bjorn@kunde.example' });
      assert.match(receipt.parsed.text!, new RegExp(`nummer ${ticket};`));
      assert.match(receipt.parsed.text!, /Du skrev:\nRing meg i morgen\nTakk/);
      const request = await until("the agent's mail", () =>
        mailTo(smtp.arrived, 'tor@parley.example', new RegExp(`Ny henvendelse ${ticket} i Kundestøtte fra Bjørn Ås`)),
      );
      assert.match(request.parsed.text!, /Kunde: Bjørn Ås <bjorn@kunde\.example>/);
      assert.match(request.parsed.text!, /Ring meg i morgen/);
    });

    test("CR/LF in the customer's name never makes a header; in the address it is refused", async () => {
      await setPresent(app, false);
      let key: string;
      try {
        key = (await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true })).SessionKey;
      } finally {
        await setPresent(app, true);
      }
      const refused = await visitor(app, 'SubmitOfflineForm', { Message: 'hi', CustomerEmail: 'eve@kunde.example\r\nBcc: evil@attacker.example' }, key);
      assert.equal(refused.status, 400, refused.body);
      const posted = await ok(
        app,
        'SubmitOfflineForm',
        { Message: 'hi', CustomerName: 'Eve\r\nBcc: evil@attacker.example\r\nSubject: pwned', CustomerEmail: 'eve@kunde.example' },
        key,
      );
      const receipt = await until('the receipt', () => mailTo(smtp.arrived, 'eve@kunde.example', new RegExp(String(posted.TicketId))));
      const request = await until("the agent's mail", () => mailTo(smtp.arrived, 'tor@parley.example', new RegExp(`Ny henvendelse ${posted.TicketId}`)));
      for (const m of [receipt, request]) {
        assert.equal(m.parsed.headers.get('bcc'), undefined);
        const headers = m.raw.split('\r\n\r\n')[0];
        assert.doesNotMatch(headers, /^(Bcc|Subject: pwned)/im);
        assert.equal(headers.match(/^Subject:/gim)?.length, 1);
        assert.ok(!m.envelopeTo.includes('evil@attacker.example'));
      }
      assert.ok(!smtp.arrived.some((m) => m.envelopeTo.includes('evil@attacker.example')));
      assert.equal(to(receipt).address, 'eve@kunde.example');
      assert.match(to(receipt).name, /^Eve Bcc: evil@attacker\.example Subject: pwned$/);
      assert.match(receipt.parsed.text!, /^Hei Eve Bcc: evil@attacker\.example Subject: pwned,$/m, 'the name is one line in the text too');
    });

    test('an address that slipped into the queue with a line break is marked failed, never sent', async () => {
      const id = await app.store.mail.enqueue({
        kind: 'receipt',
        sessionId: null,
        topicId: null,
        recipientName: 'x',
        recipientAddress: 'a@kunde.example\r\nBcc: evil@attacker.example',
        subject: 's',
        body: 'b',
        createdAt: new Date(),
      });
      app.mail!.wake();
      const failed = await until('failed', async () => (await app.store.mail.list({ state: 'failed' })).find((m) => m.id === id));
      assert.equal(failed.lastError, 'not a plain e-mail address');
      assert.ok(!smtp.arrived.some((m) => m.envelopeTo.includes('evil@attacker.example')));
    });
  });

  describe(`E-mail failures and restarts on ${kind}`, { skip }, () => {
    const dbs: TestDatabase[] = [];
    const apps: App[] = [];
    const servers: Array<{ close(): Promise<void> }> = [];
    after(async () => {
      for (const a of apps) await a.close();
      for (const s of servers) await s.close();
      for (const d of dbs) await d.drop();
    });

    /** An app with demo data and the mail topic, sending to `smtpUrl`; a request posted to its offline form. */
    async function setUp(smtpUrl: string, env: Record<string, string> = {}) {
      const db = await persistentDb(kind);
      dbs.push(db);
      const app = await startApp(db, smtpUrl, env);
      apps.push(app);
      await fillDemoData(app.store, new Date(), () => Math.random().toString(36).slice(2));
      const topic = await mailTopic(app);
      // No notified agent here: one mail per request (the receipt).
      const tje0 = (await app.store.associates.byUserName('tje0'))!;
      await app.store.topicAgents.upsert({ topicId: topic, associateId: tje0.id, canListen: false, canRespond: true, canManage: false, canNotify: false });
      await setPresent(app, false);
      const key = (await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true })).SessionKey;
      await ok(app, 'SubmitOfflineForm', { Message: 'Hjelp', CustomerEmail: 'kunde@kunde.example' }, key);
      return { db, app };
    }

    test('a server that keeps answering 4xx: retried with back-off, then failed, shown by mail list and the metric', async () => {
      const smtp = await startSmtpServer(() => 451);
      servers.push(smtp);
      const { db, app } = await setUp(smtp.url, { PARLEY_MAIL_MAX_ATTEMPTS: '3' });
      const failed: Mail = await until('the mail failed', async () => (await app.store.mail.list({ state: 'failed' }))[0]);
      assert.equal(failed.attempts, 3);
      assert.equal(smtp.attempts(), 3);
      assert.match(failed.lastError!, /^SMTP 451/);
      assert.equal(smtp.arrived.length, 0);

      const metrics = await app.server.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^parley_mail_messages\{state="failed"\} 1$/m);
      assert.match(metrics.body, /^parley_mail_messages\{state="pending"\} 0$/m);

      const listed = await cli(['mail', 'list', '--state', 'failed'], db.url);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^${failed.id}\\tfailed\\treceipt\\tto kunde@kunde\\.example\\t.*3 attempts.*last error: SMTP 451`, 'm'));
      assert.equal((await cli(['mail', 'list', '--state', 'sent'], db.url)).stdout, '');
    });

    test('concurrent senders never claim the same mail; a claim lapses; a released one is due again', async () => {
      const db = await persistentDb(kind);
      dbs.push(db);
      const database = openDatabase(db.url, { poolSize: 6 });
      try {
        await migrateToLatest(database.db);
        const store = createStore(database.db, database.kind);
        const t0 = new Date();
        for (let i = 0; i < 7; i++) {
          await store.mail.enqueue({
            kind: 'receipt',
            sessionId: null,
            topicId: null,
            recipientName: '',
            recipientAddress: `m${i}@kunde.example`,
            subject: 's',
            body: 'b',
            createdAt: t0,
          });
        }
        const lease = new Date(t0.getTime() + 60_000);
        const claims = await Promise.all([1, 2, 3, 4].map(() => store.mail.claimDue(t0, lease, 2)));
        const ids = claims.flat().map((m) => m.id);
        assert.equal(new Set(ids).size, ids.length, 'no mail claimed twice');
        assert.equal(ids.length, 7);
        assert.deepEqual(await store.mail.claimDue(t0, lease, 10), [], 'all held');
        assert.equal((await store.mail.nextDue(t0))?.getTime(), lease.getTime(), 'look again when the claims lapse');
        await store.mail.release(ids[0]);
        assert.deepEqual(
          (await store.mail.claimDue(t0, lease, 10)).map((m) => m.id),
          [ids[0]],
        );
        const later = new Date(lease.getTime() + 1);
        assert.equal((await store.mail.claimDue(later, new Date(later.getTime() + 60_000), 10)).length, 7, 'lapsed claims are taken up');
      } finally {
        await database.close();
      }
    });

    test('sent and failed mail past PARLEY_MAIL_RETENTION_HOURS is removed; pending mail and newer mail stay', async () => {
      const smtp = await startSmtpServer((n) => (n === 1 ? 'accept' : 550));
      servers.push(smtp);
      const db = await persistentDb(kind);
      dbs.push(db);
      const seed = await startApp(db, 'smtp://127.0.0.1:1');
      const old = new Date(Date.now() - 48 * 3_600_000);
      const mail = (address: string, createdAt: Date) =>
        seed.store.mail.enqueue({
          kind: 'receipt',
          sessionId: null,
          topicId: null,
          recipientName: '',
          recipientAddress: address,
          subject: 's',
          body: 'b',
          createdAt,
        });
      await seed.mail!.stop();
      const sentOld = await mail('sent-old@kunde.example', old);
      const failedOld = await mail('failed-old@kunde.example', old);
      const recent = await mail('recent@kunde.example', new Date());
      await seed.close();
      const app = await startApp(db, smtp.url, { PARLEY_MAIL_RETENTION_HOURS: '24' });
      apps.push(app);
      await until('all three attempted', () => smtp.attempts() === 3);
      // Pruning runs after the pass that sent them: the two old ones were finished and older than a day.
      const kept = await until('the old ones removed', async () => {
        const left = await app.store.mail.list();
        return left.some((m) => m.id === sentOld || m.id === failedOld) ? undefined : left;
      });
      assert.deepEqual(
        kept.map((m) => [m.id, m.state]),
        [[recent, 'failed']],
      );
      assert.deepEqual(
        smtp.arrived.map((m) => m.envelopeTo),
        [['sent-old@kunde.example']],
      );
    });

    test('two instances on one database send each mail once', { skip: kind === 'sqlite' && 'one process per SQLite file' }, async () => {
      const smtp = await startSmtpServer();
      servers.push(smtp);
      const db = await persistentDb(kind);
      dbs.push(db);
      const first = await startApp(db, smtp.url);
      const second = await startApp(db, smtp.url);
      apps.push(first, second);
      const addresses = Array.from({ length: 20 }, (_, i) => `m${i}@kunde.example`);
      await Promise.all(
        addresses.map((address, i) =>
          (i % 2 ? first : second).store.mail.enqueue({
            kind: 'receipt',
            sessionId: null,
            topicId: null,
            recipientName: '',
            recipientAddress: address,
            subject: 's',
            body: 'b',
            createdAt: new Date(),
          }),
        ),
      );
      first.mail!.wake();
      second.mail!.wake();
      await until('all marked sent', async () => (await first.store.mail.list({ state: 'sent' })).length === 20);
      assert.deepEqual(smtp.arrived.map((m) => m.envelopeTo[0]).sort(), [...addresses].sort());
    });

    test('a 5xx refusal fails the mail at once', async () => {
      const smtp = await startSmtpServer(() => 550);
      servers.push(smtp);
      const { app } = await setUp(smtp.url, { PARLEY_MAIL_MAX_ATTEMPTS: '5' });
      const failed: Mail = await until('the mail failed', async () => (await app.store.mail.list({ state: 'failed' }))[0]);
      assert.equal(failed.attempts, 1);
      assert.match(failed.lastError!, /^SMTP 550/);
    });

    test('a restart: a new app on the same database delivers what the old one left queued', async () => {
      const refusing = await startSmtpServer(() => 451);
      servers.push(refusing);
      const { db, app } = await setUp(refusing.url, { PARLEY_MAIL_RETRY_BASE_MS: '1500' });
      await until('a first failed attempt', async () => (await app.store.mail.list({ state: 'pending' }))[0]?.attempts === 1);
      await app.close();
      apps.splice(apps.indexOf(app), 1);

      const smtp = await startSmtpServer();
      servers.push(smtp);
      const restarted = await startApp(db, smtp.url);
      apps.push(restarted);
      const arrived = await until('the mail after the restart', () => smtp.arrived[0]);
      assert.deepEqual(arrived.envelopeTo, ['kunde@kunde.example']);
      // The server has it before the sender records that it was accepted.
      const mail = await until('marked sent', async () => (await restarted.store.mail.list({ state: 'sent' }))[0]);
      assert.equal(mail.attempts, 2);
      assert.equal(smtp.arrived.length, 1);
    });
  });
}

describe('E-mail settings', () => {
  const env = { DATABASE_URL: 'sqlite::memory:', PARLEY_TIMEZONE: 'Europe/Oslo' };
  test('no PARLEY_SMTP_URL: mail is off; with it, a sender is required and the scheme must be smtp or smtps', () => {
    assert.equal(loadConfig(env).mail, undefined);
    assert.throws(() => loadConfig({ ...env, PARLEY_SMTP_URL: 'smtp://127.0.0.1:25' }), /PARLEY_MAIL_FROM/);
    assert.throws(() => loadConfig({ ...env, PARLEY_SMTP_URL: 'http://127.0.0.1', PARLEY_MAIL_FROM: 'a@b.example' }), /smtp:\/\/ or smtps:\/\//);
    const on = loadConfig({ ...env, PARLEY_SMTP_URL: 'smtps://u:p@mail.example', PARLEY_MAIL_FROM: 'a@b.example', PARLEY_MAIL_MAX_ATTEMPTS: '4' }).mail!;
    assert.deepEqual(
      { ...on, smtpUrl: undefined },
      {
        smtpUrl: undefined,
        from: 'a@b.example',
        timeoutMs: 30_000,
        retryBaseMs: 60_000,
        retryMaxMs: 3_600_000,
        maxAttempts: 4,
        pollMs: 10_000,
        retentionHours: 720,
      },
    );
  });

  test('with e-mail off, an offline request and a missed chat queue nothing', async () => {
    const app = await createApp(loadConfig({ ...env, PARLEY_SWEEP_SECONDS: '0', ...NO_LIMITS }), { logger: false });
    try {
      await fillDemoData(app.store, new Date(), () => Math.random().toString(36).slice(2));
      const topic = await mailTopic(app);
      const queued = await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true, CustomerEmail: 'q@kunde.example' });
      await ok(app, 'End', {}, queued.SessionKey);
      await setPresent(app, false);
      const key = (await ok(app, 'OpenSession', { ChatTopicId: topic, Consented: true })).SessionKey;
      await ok(app, 'SubmitOfflineForm', { Message: 'Hjelp', CustomerEmail: 'kunde@kunde.example' }, key);
      assert.equal(app.mail, undefined);
      assert.deepEqual(await app.store.mail.list(), []);
    } finally {
      await app.close();
    }
  });
});
