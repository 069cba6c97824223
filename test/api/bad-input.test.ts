// Hostile and clumsy input: every mistake is a 4xx with SuperOffice's error envelope, never a 500 or a stack trace;
// and concurrent writers leave the database consistent, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { databaseKinds } from '../helpers/databases.ts';
import { ADM0, call, startTestApp, type TestApp, TJE0 } from '../helpers/test-app.ts';

type Res = Awaited<ReturnType<typeof call>>;

/** A clean client error: the status asked for, the JSON envelope, and nothing from the server's insides. */
function assertError(res: Res, status: number, message?: RegExp) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
  assertNoLeak(res);
  assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
  assert.deepEqual(Object.keys(res.json), ['Error', 'ErrorType', 'ErrorMessage', 'ErrorSource']);
  assert.equal(res.json.Error, true);
  assert.match(res.json.ErrorType, /^So\w+Exception$/);
  assert.equal(typeof res.json.ErrorMessage, 'string');
  assert.ok(res.json.ErrorMessage.length > 0 && res.json.ErrorMessage.length < 1000, 'a short message');
  if (message) assert.match(res.json.ErrorMessage, message);
}

/** Never a 500, never a stack trace or a file path. */
function assertNoLeak(res: Res) {
  assert.ok(res.status < 500, `server error ${res.status}: ${res.body.slice(0, 300)}`);
  assert.doesNotMatch(res.body, /\n\s*at |\bat \S+ \(|\.(ts|js|mjs):\d+|\/work\/|node_modules|file:\/\//, 'no stack trace or path');
}

const inject = (app: TestApp, method: string, url: string, headers: Record<string, string> = {}) =>
  app.server.inject({ method: method as 'GET', url, headers }).then((r) => {
    let json: any;
    try {
      json = r.body ? JSON.parse(r.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: r.statusCode, headers: r.headers, body: r.body, json };
  });

async function timed<T>(work: () => Promise<T>, maxMs: number): Promise<T> {
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  assert.ok(ms < maxMs, `took ${ms.toFixed(0)} ms, more than ${maxMs}`);
  return result;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CreateChatSessionForTopic><ChatTopicId>&lol9;</ChatTopicId></CreateChatSessionForTopic>`;

describe('Bad input', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ kind: 'sqlite', env: { PARLEY_BODY_LIMIT: '2048' } });
  });
  after(async () => app?.close());

  describe('malformed bodies', () => {
    test('malformed JSON answers 400 with the error envelope', async () => {
      for (const raw of ['{"ChatTopicId":', "{'ChatTopicId': 1}", '{"ChatTopicId": 1}}', 'undefined', '{ChatTopicId: 1}', '\u0000']) {
        assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: raw, contentType: 'application/json' }), 400, /JSON/);
      }
      // The same on a log-in call, before anyone is authenticated.
      assertError(await call(app, '/api/v1/Parley/Authentication/Ticket', { rawBody: '{"UserName":', contentType: 'application/json' }), 400, /JSON/);
    });

    test('malformed XML answers 400; with Accept: application/xml the error itself is XML', async () => {
      const raw = '<CreateChatSessionForTopic><ChatTopicId>1</ChatTopic></CreateChatSessionForTopic>';
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: raw, contentType: 'application/xml' }), 400, /XML/);
      const xml = await call(app, 'CreateChatSessionForTopic', {
        auth: TJE0,
        rawBody: raw,
        contentType: 'text/xml',
        headers: { accept: 'application/xml' },
      });
      assert.equal(xml.status, 400);
      assertNoLeak(xml);
      assert.match(String(xml.headers['content-type']), /^application\/xml; charset=utf-8/);
      assert.equal(XMLValidator.validate(xml.body), true, 'the error is well-formed XML');
      assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?><Error[\s>]/);
      assert.match(
        xml.body,
        /<Error>true<\/Error><ErrorType>SoBadRequestException<\/ErrorType><ErrorMessage>Malformed XML body[^<]*<\/ErrorMessage><ErrorSource>Parley<\/ErrorSource>/,
      );
      for (const bad of ['<a><b></a>', '<a', 'not xml at all', '<a/><b/>', '<a>text only</a>']) {
        assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: bad, contentType: 'application/xml' }), 400);
      }
    });

    test('a DOCTYPE with entities (billion laughs) is refused at once, nothing expanded', async () => {
      const res = await timed(() => call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: BILLION_LAUGHS, contentType: 'application/xml' }), 500);
      assertError(res, 400, /DOCTYPE/);
      assert.doesNotMatch(res.body, /lollol/);
      const lower = await timed(
        () => call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: BILLION_LAUGHS.replace('DOCTYPE', 'doctype'), contentType: 'text/xml' }),
        500,
      );
      assertError(lower, 400);
    });

    test('an external entity (XXE) is refused and no file is read', async () => {
      const xxe = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a><ChatTopicId>&x;</ChatTopicId></a>';
      const res = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: xxe, contentType: 'application/xml' });
      assertError(res, 400);
      assert.doesNotMatch(res.body, /root:/);
    });

    test('an undeclared entity reference stays text and fails as a bad integer', async () => {
      const res = await call(app, 'CreateChatSessionForTopic', {
        auth: TJE0,
        rawBody: '<a><ChatTopicId>&lol9;</ChatTopicId></a>',
        contentType: 'application/xml',
      });
      assertError(res, 400, /ChatTopicId/);
    });

    test('deeply nested JSON, XML and form bodies answer 400', async () => {
      assertError(
        await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: '['.repeat(1000) + ']'.repeat(1000), contentType: 'application/json' }),
        400,
      );
      assertError(
        await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: '<a>'.repeat(200) + '</a>'.repeat(200), contentType: 'application/xml' }),
        400,
      );
      assertError(
        await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: `${'a.'.repeat(100)}b=1`, contentType: 'application/x-www-form-urlencoded' }),
        400,
      );
    });

    test('__proto__ and constructor in JSON, XML or form bodies answer 400 and pollute nothing', async () => {
      const form = 'application/x-www-form-urlencoded';
      const ticket = '/api/v1/Parley/Authentication/Ticket';
      const attempts: Array<[string, string]> = [
        ['__proto__.polluted=yes&UserName=tje0&Password=Tje0', form],
        ['constructor.prototype.polluted=yes&UserName=tje0&Password=Tje0', form],
        ['__proto__=x&UserName=tje0&Password=Tje0', form],
        ['{"__proto__":{"polluted":"yes"},"UserName":"tje0","Password":"Tje0"}', 'application/json'],
        ['{"constructor":{"prototype":{"polluted":"yes"}},"UserName":"tje0","Password":"Tje0"}', 'application/json'],
        ['<Ticket><__proto__><polluted>yes</polluted></__proto__><UserName>tje0</UserName><Password>Tje0</Password></Ticket>', 'application/xml'],
        ['<Ticket><constructor><prototype><polluted>yes</polluted></prototype></constructor></Ticket>', 'application/xml'],
      ];
      for (const [raw, type] of attempts) {
        const res = await call(app, ticket, { rawBody: raw, contentType: type });
        assertError(res, 400);
        assert.equal(({} as Record<string, unknown>).polluted, undefined, `Object.prototype polluted by ${raw}`);
      }
      // The same nested through a body that takes objects.
      const nested = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        rawBody: 'ChatTopicId=1&Useragent.__proto__.polluted=yes',
        contentType: form,
      });
      assertError(nested, 400);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    test('form fields that contradict each other answer 400', async () => {
      const res = await call(app, 'AddChatTopicUserAgent', {
        auth: ADM0,
        rawBody: 'ChatTopicId=1&Useragent=x&Useragent.CanListen=true',
        contentType: 'application/x-www-form-urlencoded',
      });
      assertError(res, 400, /Useragent/);
    });

    test('a body over PARLEY_BODY_LIMIT answers 413 with the envelope', async () => {
      const raw = JSON.stringify({ ChatTopicId: 1, Padding: 'x'.repeat(4000) });
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: raw, contentType: 'application/json' }), 413, /2048/);
      // Also before authentication, and in XML when XML is accepted.
      const xml = await call(app, 'CreateChatSessionForTopic', { rawBody: raw, contentType: 'application/json', headers: { accept: 'application/xml' } });
      assert.equal(xml.status, 413);
      assert.equal(XMLValidator.validate(xml.body), true);
      assert.match(xml.body, /<ErrorType>SoPayloadTooLargeException<\/ErrorType>/);
      // Just under the limit is fine.
      const ok = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: `{"ChatTopicId":1}${' '.repeat(2000)}`, contentType: 'application/json' });
      assert.equal(ok.status, 200);
    });
  });

  describe('wrong shapes and types', () => {
    test('wrong types name the property', async () => {
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 'abc', TopicId: 1 } }), 400, /ChatSessionId.*integer/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: true } }), 400, /ChatTopicId/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 1.5 } }), 400, /ChatTopicId/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: null } }), 400, /ChatTopicId/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: { Id: 1 } } }), 400, /ChatTopicId/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 2 ** 31 } }), 400, /ChatTopicId.*32-bit/);
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, Name: 42 } }), 400, /Name.*string/);
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, LastAccept: 'yesterday' } }), 400, /LastAccept/);
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Status: 'Nope' } }), 400, /Status/);
      assertError(
        await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Person: { PersonId: 'x' } } }),
        400,
        /Person\.PersonId/,
      );
    });

    test('enum and flag numbers beyond 32 bits answer 400, not a database error', async () => {
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Flags: 1e300 } }), 400, /Flags/);
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Flags: '2147483648' } }), 400, /Flags/);
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Flags: -1 } }), 400, /Flags/);
      assertError(await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, Status: 99999999999 } }), 400, /Status/);
    });

    test('arrays where objects belong, and objects where arrays belong, answer 400', async () => {
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: [{ ChatTopicId: 1 }] }), 400, /object/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: 'abc' }), 400);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: 'null', contentType: 'application/json' }), 400);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: '42', contentType: 'application/json' }), 400);
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: [{ ChatTopicId: 1 }] }), 400);
      assertError(await call(app, 'AddChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: 1, Useragent: [] } }), 400, /Useragent.*object/);
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, OpeningHours: [1, 2] } }), 400, /OpeningHours/);
      assertError(await call(app, 'UpdateChatTopicUserAgents', { auth: ADM0, body: { ChatTopicId: 1, Useragents: 'x' } }), 400, /Useragents/);
      assertError(await call(app, 'UpdateChatTopicUserAgents', { auth: ADM0, body: { ChatTopicId: 1, Useragents: { a: {}, b: {} } } }), 400, /Useragents/);
    });

    test('an unknown property answers 400 naming it, at the top and nested', async () => {
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 1, Foo: 1 } }), 400, /unknown property 'Foo'/);
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, NoSuchField: 'x' } }), 400, /NoSuchField/);
      assertError(
        await call(app, 'AddChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: 1, Useragent: { CanListen: true, Bogus: 1 } } }),
        400,
        /Useragent.*Bogus/,
      );
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 1, chattopicid: 2 } }), 400, /twice/);
    });

    test('a missing required body property answers 400', async () => {
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: {} }), 400, /ChatTopicId.*required/);
      assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0 }), 400, /ChatTopicId.*required/);
      assertError(await call(app, '/api/v1/Parley/Authentication/Ticket', { body: { UserName: 'tje0' } }), 400, /Password/);
    });

    test('strings beyond their column length answer 400 naming the field and the limit', async () => {
      assertError(await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, Name: 'n'.repeat(256) } }), 400, /Name.*256.*255/);
      assertError(
        await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, CustomerName: 'c'.repeat(300) } }),
        400,
        /CustomerName.*255/,
      );
      assertError(await call(app, 'GetChatTopicUserAgent', { auth: ADM0, body: { ChatTopicId: 1, Username: 'u'.repeat(256) } }), 400, /Username.*255/);
      assertError(await call(app, '/api/v1/Parley/Authentication/Ticket', { body: { UserName: 'tje0', Password: 'p'.repeat(1025) } }), 400, /Password.*1024/);
      // Exactly at the limit is accepted.
      const ok = await call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 4, Name: 'n'.repeat(255) } });
      assert.equal(ok.status, 200, ok.body);
      assert.equal(ok.json.Name.length, 255);
    });

    test('NUL characters in strings answer 400 (PostgreSQL cannot store them)', async () => {
      assertError(
        await call(app, 'SaveChatSessionEntity', { auth: ADM0, body: { ChatSessionId: 1, TopicId: 1, CustomerName: 'a\u0000b' } }),
        400,
        /CustomerName/,
      );
      assertError(await call(app, '/api/v1/Parley/Authentication/Ticket', { body: { UserName: 'tje0\u0000', Password: 'x' } }), 400, /UserName/);
    });
  });

  describe('query strings', () => {
    test('absurd $select values answer 400 fast', async () => {
      const names = Array.from({ length: 10_000 }, (_, i) => `Name${i}`).join(',');
      assertError(await timed(() => call(app, 'ChatSessionsForUser', { auth: TJE0, query: `$select=${names}` }), 1000), 400, /\$select/);
      assertError(await timed(() => call(app, 'ChatSessionsForUser', { auth: TJE0, query: `$select=${'x'.repeat(100_000)}` }), 1000), 400, /\$select/);
      assertError(await timed(() => call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=a/b/c/d/e/f' }), 1000), 400, /a\/b\/c\/d\/e\/f/);
      assertError(await timed(() => call(app, 'ChatSessionsForUser', { auth: TJE0, query: `$select=${'Status,'.repeat(300)}` }), 1000), 400, /\$select/);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, query: `$select=${'User/'.repeat(500)}FullName` }), 400, /\$select/);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=Status/Deeper' }), 400, /Status\/Deeper/);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, query: '$select=User/FullName/x' }), 400);
    });

    test('non-numeric, missing, empty and out-of-int32 ids answer 400', async () => {
      const bad = ['abc', '', '1.5', '1e3', '0x10', '2147483648', '-2147483649', '99999999999999999999', '%00', '1;2'];
      for (const v of bad) {
        assertError(await call(app, 'GetChatTopicEntity', { auth: TJE0, query: `chatTopicEntityId=${v}` }), 400, /chatTopicEntityId/);
        assertError(await call(app, 'DeleteChatSessionEntity', { auth: ADM0, query: `ChatSessionEntityId=${v}` }), 400, /ChatSessionEntityId/);
      }
      assertError(await call(app, 'GetChatTopicEntity', { auth: TJE0 }), 400, /chatTopicEntityId.*required/);
      assertError(await call(app, 'GetChatSessionEntity', { auth: TJE0, query: 'someOtherId=1' }), 400, /chatSessionEntityId/);
      // The largest int32 is a valid id that matches nothing: 200 with null, as agents answer.
      const max = await call(app, 'GetChatTopicEntity', { auth: TJE0, query: 'chatTopicEntityId=2147483647' });
      assert.equal(max.status, 200);
      assert.equal(max.body, 'null');
    });

    test('bad negotiation headers answer 400 or 406, never 500', async () => {
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'accept-language': '12' } }), 400);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-timezone': 'Mars/Olympus' } }), 400);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { 'so-timezone': 'x'.repeat(500) } }), 400);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { accept: `application/x-${'a'.repeat(2000)}` } }), 400);
      assertError(await call(app, 'ChatSessionsForUser', { auth: TJE0, headers: { accept: 'image/png' } }), 406);
      assertError(await call(app, 'ChatSessionsForUser', { auth: `Basic ${'%'.repeat(50)}` }), 401);
      assertError(await call(app, 'ChatSessionsForUser', { auth: `SOTicket ${'t'.repeat(10_000)}` }), 401);
    });
  });

  describe('content types, verbs and URLs', () => {
    test('an unsupported Content-Type answers 415', async () => {
      for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png']) {
        assertError(await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: 'ChatTopicId=1', contentType: type }), 415);
      }
      const res = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: '{}', contentType: ';;;' });
      assert.equal(res.status, 415);
      assertNoLeak(res);
      assert.equal(res.json.Error, true);
    });

    test('the accepted Content-Types all work', async () => {
      const bodies: Array<[string, string]> = [
        ['application/json', '{"ChatTopicId":1}'],
        ['text/json', '{"ChatTopicId":1}'],
        ['application/json-patch+json', '{"ChatTopicId":1}'],
        ['application/merge-patch+json', '{"ChatTopicId":1}'],
        ['application/json; charset=utf-8', '{"ChatTopicId":1}'],
        ['application/xml', '<CreateChatSessionForTopic><ChatTopicId>1</ChatTopicId></CreateChatSessionForTopic>'],
        ['text/xml', '<CreateChatSessionForTopic><ChatTopicId>1</ChatTopicId></CreateChatSessionForTopic>'],
        ['application/x-www-form-urlencoded', 'ChatTopicId=1'],
      ];
      for (const [type, raw] of bodies) {
        const res = await call(app, 'CreateChatSessionForTopic', { auth: TJE0, rawBody: raw, contentType: type });
        assert.equal(res.status, 200, `${type}: ${res.body}`);
        assert.equal(res.json.TopicId, 1);
      }
    });

    test('GET on an agent URL describes the call and does not execute it', async () => {
      const res = await inject(app, 'GET', '/api/v1/Agents/Chat/DeleteChatTopicEntity?ChatTopicEntityId=1', { authorization: ADM0 });
      assert.equal(res.status, 200);
      assert.equal(res.json.Method, 'DeleteChatTopicEntity');
      assert.ok(await app.store.topics.byId(1), 'topic 1 is still there');
      const still = await call(app, 'GetChatTopicEntity', { auth: ADM0, query: 'chatTopicEntityId=1' });
      assert.equal(still.json.ChatTopicId, 1);
      const create = await inject(app, 'GET', '/api/v1/Agents/Chat/CreateChatSessionForTopic', { authorization: TJE0 });
      assert.equal(create.json.Method, 'CreateChatSessionForTopic');
    });

    test('PUT, DELETE and PATCH on an agent URL answer 405 with the envelope and Allow', async () => {
      for (const verb of ['PUT', 'DELETE', 'PATCH']) {
        const res = await inject(app, verb, '/api/v1/Agents/Chat/DeleteChatTopicEntity?ChatTopicEntityId=1', { authorization: ADM0 });
        assertError(res, 405, new RegExp(verb));
        assert.equal(res.json.ErrorType, 'SoMethodNotAllowedException');
        assert.match(String(res.headers.allow), /POST/);
      }
      assert.ok(await app.store.topics.byId(1), 'topic 1 survived every verb');
    });

    test('an unknown URL answers 404 with the envelope, in XML when asked', async () => {
      for (const [verb, url] of [
        ['POST', '/api/v1/Agents/Chat/NoSuchMethod'],
        ['GET', '/api/v1/Agents/Chat/NoSuchMethod'],
        ['POST', '/api/v1/Agents/Contact/GetContactEntity'],
        ['GET', '/nowhere'],
        ['POST', `/api/v1/${'x/'.repeat(500)}`],
      ]) {
        const res = await inject(app, verb, url, { authorization: TJE0 });
        assertError(res, 404);
        assert.equal(res.json.ErrorType, 'SoNotFoundException');
        assert.ok(res.json.ErrorMessage.length < 400, 'the echoed URL is cut short');
      }
      const xml = await inject(app, 'POST', '/api/v1/Agents/Chat/NoSuchMethod', { accept: 'application/xml' });
      assert.equal(xml.status, 404);
      assert.equal(XMLValidator.validate(xml.body), true);
      assert.match(xml.body, /<ErrorType>SoNotFoundException<\/ErrorType>/);
    });
  });
});

for (const { kind, skip } of await databaseKinds()) {
  describe(`Concurrent writers on ${kind}`, { skip }, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp({ kind });
    });
    after(async () => app?.close());

    test('20 parallel SaveChatTopicEntity updates of one topic all succeed; one of them wins whole', async () => {
      const before = await app.store.topics.byId(1);
      const agentsBefore = await app.store.topicAgents.forTopic(1);
      const topicCount = async () => (await app.store.db.selectFrom('chat_topics').select(['id']).execute()).length;
      const countBefore = await topicCount();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 1, Description: `desc ${i}`, BadgeHeader: `badge ${i}` } }),
        ),
      );
      for (const r of results) {
        assert.equal(r.status, 200, r.body);
        assert.equal(r.json.ChatTopicId, 1);
      }
      const after = await app.store.topics.byId(1);
      const winner = /^desc (\d+)$/.exec(after!.description);
      assert.ok(winner, after!.description);
      assert.equal(after!.badgeHeader, `badge ${winner[1]}`, 'no update is half applied');
      assert.equal(after!.name, before!.name, 'fields nobody sent are untouched');
      assert.equal(await topicCount(), countBefore);
      assert.deepEqual(await app.store.topicAgents.forTopic(1), agentsBefore);
    });

    test('20 parallel CreateChatSessionForTopic calls all succeed with distinct ids and each its own queue position', async () => {
      const countRows = async () => (await app.store.db.selectFrom('chat_sessions').select(['id']).execute()).length;
      const rowsBefore = await countRows();
      const queuedBefore = await app.store.sessions.countInQueue(1);
      const results = await Promise.all(Array.from({ length: 20 }, () => call(app, 'CreateChatSessionForTopic', { auth: TJE0, body: { ChatTopicId: 1 } })));
      for (const r of results) assert.equal(r.status, 200, r.body);
      const ids = results.map((r) => r.json.ChatSessionId as number);
      assert.equal(new Set(ids).size, 20, 'distinct ids');
      assert.ok(ids.every((id) => Number.isInteger(id) && id > 0));
      assert.equal(new Set(results.map((r) => r.json.SessionKey)).size, 20, 'distinct session keys');
      assert.equal(await countRows(), rowsBefore + 20);
      const queuedAfter = await app.store.sessions.countInQueue(1);
      assert.equal(queuedAfter, queuedBefore + 20);
      const rows = await app.store.db.selectFrom('chat_sessions').select(['id', 'initial_queue_pos', 'topic_id']).where('id', 'in', ids).execute();
      assert.equal(rows.length, 20);
      for (const row of rows) {
        assert.equal(row.topic_id, 1);
        assert.ok(row.initial_queue_pos >= 1 && row.initial_queue_pos <= queuedAfter, `InitialQueuePos ${row.initial_queue_pos}`);
      }
      assert.deepEqual(
        rows.map((r) => r.initial_queue_pos).sort((a, b) => a - b),
        results.map((r) => r.json.InitialQueuePos).sort((a: number, b: number) => a - b),
        'the answers match the rows',
      );
      // Each creation counted the queue with the others' inserts serialised: positions are exactly the next 20.
      assert.deepEqual(
        rows.map((r) => r.initial_queue_pos).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => queuedBefore + 1 + i),
      );
    });

    test('writers and readers mixed: saves, creates and lists in parallel, then the server still answers', async () => {
      const work = Array.from({ length: 30 }, (_, i) => {
        if (i % 3 === 0) return call(app, 'SaveChatTopicEntity', { auth: ADM0, body: { ChatTopicId: 2, Description: `mixed ${i}` } });
        if (i % 3 === 1) return call(app, 'CreateChatSessionForTopic', { auth: ADM0, body: { ChatTopicId: 4 } });
        return call(app, 'ChatSessionsForUser', { auth: ADM0 });
      });
      for (const r of await Promise.all(work)) assert.equal(r.status, 200, r.body);
      const list = await call(app, 'ChatSessionsForUser', { auth: ADM0, query: '$select=ChatSessionId' });
      assert.equal(list.status, 200);
      assert.equal(new Set(list.json.map((s: any) => s.ChatSessionId)).size, list.json.length);
    });
  });
}
