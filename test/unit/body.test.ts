// Unit tests for src/api/body.ts parseBody: JSON (and patch types), XML, form-urlencoded, and the refusals:
// malformed (400), DOCTYPE/ENTITY never expanded (400), unsupported type (415), deep nesting (400).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBody } from '../../src/api/body.ts';
import { ApiError } from '../../src/api/errors.ts';

const FORM = 'application/x-www-form-urlencoded';

const status = (n: number) => (e: unknown) => e instanceof ApiError && e.status === n;
/** Compares shape and values only (form bodies may be built from prototype-less objects). */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

const noPollution = () => {
  for (const name of ['polluted', 'x', 'p2']) {
    assert.equal(Object.hasOwn(Object.prototype, name), false, `Object.prototype.${name} was set`);
  }
};

test('an empty or blank body is undefined, whatever the type', () => {
  assert.equal(parseBody(undefined, 'application/json'), undefined);
  assert.equal(parseBody('', 'application/xml'), undefined);
  assert.equal(parseBody('  \n ', 'text/plain'), undefined);
});

test('JSON under all four JSON types, with parameters and any case; no type means JSON', () => {
  const body = '{"Name":"Ola","Rank":3,"User":{"AssociateId":5}}';
  const expected = { Name: 'Ola', Rank: 3, User: { AssociateId: 5 } };
  for (const type of ['application/json', 'text/json', 'application/merge-patch+json', 'Application/JSON; charset=utf-8', undefined, '']) {
    assert.deepEqual(parseBody(body, type), expected, String(type));
  }
  const patch = '[{"op":"replace","path":"/Name","value":"Kari"}]';
  assert.deepEqual(parseBody(patch, 'application/json-patch+json'), [{ op: 'replace', path: '/Name', value: 'Kari' }]);
  assert.equal(parseBody('true', 'application/json'), true);
});

test('malformed JSON is a 400', () => {
  for (const raw of ['{"Name":', "{'Name':'x'}", '{"a":1,}', 'undefined', '<Name/>']) {
    assert.throws(() => parseBody(raw, 'application/json'), status(400), raw);
  }
});

test('XML: the root element names the carrier, its children are the properties, as text', () => {
  const raw =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<ChatSessionEntity xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
    '<CustomerName>  Ola &amp; Kari &lt;3 </CustomerName><Rank>007</Rank><CustomerConsented>true</CustomerConsented>' +
    '<User><AssociateId>5</AssociateId><Name>ola</Name></User><WhenEnded i:nil="true" /></ChatSessionEntity>';
  for (const type of ['application/xml', 'text/xml; charset=utf-8']) {
    assert.deepEqual(
      parseBody(raw, type),
      {
        // Values stay text ("007" is not turned into 7): the decoder converts them by schema.
        CustomerName: 'Ola & Kari <3',
        Rank: '007',
        CustomerConsented: 'true',
        User: { AssociateId: '5', Name: 'ola' },
        WhenEnded: '',
      },
      type,
    );
  }
});

test('XML: repeated elements become a list, an empty root an empty object', () => {
  const raw =
    '<ChatTopicEntity><Useragents><ChatTopicAgent><TopicId>1</TopicId></ChatTopicAgent>' +
    '<ChatTopicAgent><TopicId>2</TopicId></ChatTopicAgent></Useragents></ChatTopicEntity>';
  assert.deepEqual(parseBody(raw, 'application/xml'), { Useragents: { ChatTopicAgent: [{ TopicId: '1' }, { TopicId: '2' }] } });
  assert.deepEqual(parseBody('<Request/>', 'application/xml'), {});
  assert.deepEqual(parseBody('<Request></Request>', 'text/xml'), {});
});

test('malformed XML is a 400', () => {
  for (const raw of ['<a><b></a>', '<a>', 'hello', '<a></a><b></b>', '<a x=1></a>']) {
    assert.throws(() => parseBody(raw, 'application/xml'), status(400), raw);
  }
});

test('XML with a DOCTYPE or ENTITY is refused before anything is expanded (billion laughs)', () => {
  const lol =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
    ']><lolz>&lol9;</lolz>';
  const started = Date.now();
  assert.throws(() => parseBody(lol, 'application/xml'), status(400));
  assert.ok(Date.now() - started < 1000, 'refused quickly, without expanding');
});

test('XML external entities are refused and the file is never read into the body', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r><Name>&xxe;</Name></r>';
  assert.throws(
    () => parseBody(xxe, 'text/xml'),
    (e: unknown) => status(400)(e) && !/root:/.test((e as Error).message),
  );
  // Any DOCTYPE, in any case, even without entities; and a stray ENTITY declaration.
  assert.throws(() => parseBody('<!doctype r><r/>', 'application/xml'), status(400));
  assert.throws(() => parseBody('<!DOCTYPE r SYSTEM "http://example.com/r.dtd"><r/>', 'application/xml'), status(400));
  assert.throws(() => parseBody('<r><!ENTITY x "y"></r>', 'application/xml'), status(400));
});

test('XML element names that would reach Object.prototype are a 400, not a crash', () => {
  assert.throws(() => parseBody('<r><__proto__><x>1</x></__proto__></r>', 'application/xml'), status(400));
  noPollution();
});

test('form-urlencoded: fields are text, dots nest, percent and + decoding apply', () => {
  const body = parseBody('Name=Ola+N%C3%B8rdmann&TopicId=3&Useragent.CanListen=true&Useragent.User.AssociateId=5', `${FORM}; charset=utf-8`);
  assert.deepEqual(plain(body), {
    Name: 'Ola Nørdmann',
    TopicId: '3',
    Useragent: { CanListen: 'true', User: { AssociateId: '5' } },
  });
});

test('form-urlencoded: a field that is both a value and a parent is a 400', () => {
  assert.throws(() => parseBody('a=1&a.b=2', FORM), status(400));
});

test('form-urlencoded: __proto__ and constructor.prototype never reach Object.prototype', () => {
  for (const raw of ['__proto__.polluted=yes', 'constructor.prototype.p2=yes', '__proto__=x&x=1', 'toString.x=1']) {
    try {
      parseBody(raw, FORM);
    } catch (e) {
      assert.ok(e instanceof ApiError && e.status === 400, `${raw}: ${String(e)}`);
    }
    noPollution();
  }
});

test('an unsupported content type is a 415', () => {
  for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/jsonx']) {
    assert.throws(
      () => parseBody('{"a":1}', type),
      (e: unknown) => e instanceof ApiError && e.status === 415 && e.errorType === 'SoUnsupportedMediaTypeException',
      type,
    );
  }
});

test('moderate nesting is fine; very deep nesting is a 400, never a stack overflow', () => {
  const nestedJson = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  assert.deepEqual(parseBody(nestedJson(10), 'application/json'), JSON.parse(nestedJson(10)));
  assert.throws(() => parseBody(nestedJson(1000), 'application/json'), status(400));
  assert.throws(() => parseBody('['.repeat(100_000) + ']'.repeat(100_000), 'application/json'), status(400));

  const nestedXml = (n: number) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`;
  assert.ok(parseBody(nestedXml(10), 'application/xml'));
  assert.throws(() => parseBody(nestedXml(1000), 'application/xml'), status(400));
  assert.throws(() => parseBody(nestedXml(50_000), 'application/xml'), status(400));

  const deepKey = Array.from({ length: 40 }, (_, i) => `p${i}`).join('.');
  assert.throws(() => parseBody(`${deepKey}=1`, FORM), status(400));
});
