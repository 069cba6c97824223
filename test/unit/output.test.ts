// Unit tests for src/api/output.ts: localize (dates in the caller's zone and offset style, translation, frozen
// shared parts localized once per language and never changed) and encode (JSON; XML root names, xsi:nil, escaping).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { XMLValidator } from 'fast-xml-parser';
import { parseBody } from '../../src/api/body.ts';
import { decode } from '../../src/api/decode.ts';
import { encode, localize } from '../../src/api/output.ts';
import { ChatSessionSchema } from '../../src/carriers/chat-session.carrier.ts';
import { ChatTopicAgentSchema } from '../../src/carriers/chat-topic-agent.carrier.ts';
import { fieldProperties, tableRight } from '../../src/carriers/rights.carrier.ts';
import { ETableRight } from '../../src/domain/enums.ts';

type Loc = Parameters<typeof localize>[1];
const loc = (over: Partial<Loc> = {}): Loc => ({ language: null, timeZone: 'Europe/Oslo', offsetStyle: 'colon', ...over });
const SUMMER = new Date('2024-07-01T12:00:00Z');
const WINTER = new Date('2024-01-15T12:00:00.250Z');

const wellFormed = (xml: string) => assert.equal(XMLValidator.validate(xml), true, xml);

test('localize: dates are written in the given zone with the given offset style', () => {
  assert.equal(localize(SUMMER, loc()), '2024-07-01T14:00:00+02:00');
  assert.equal(localize(SUMMER, loc({ offsetStyle: 'compact' })), '2024-07-01T14:00:00+0200');
  assert.equal(localize(SUMMER, loc({ offsetStyle: 'none' })), '2024-07-01T14:00:00');
  assert.equal(localize(WINTER, loc()), '2024-01-15T13:00:00.25+01:00');
  assert.equal(localize(WINTER, loc({ timeZone: 'America/New_York', offsetStyle: 'compact' })), '2024-01-15T07:00:00.25-0500');
  // UTC is "+00:00", never "Z".
  assert.equal(localize(SUMMER, loc({ timeZone: 'UTC' })), '2024-07-01T12:00:00+00:00');
});

test('localize: walks objects and lists; null and undefined become null; other values stay', () => {
  const row = { WhenStarted: SUMMER, WhenEnded: null, Gone: undefined, Rank: 3, ChatbotIsActive: false, List: [WINTER, 1] };
  assert.deepEqual(localize([row], loc({ timeZone: 'UTC' })), [
    {
      WhenStarted: '2024-07-01T12:00:00+00:00',
      WhenEnded: null,
      Gone: null,
      Rank: 3,
      ChatbotIsActive: false,
      List: ['2024-01-15T12:00:00.25+00:00', 1],
    },
  ]);
  assert.equal(row.WhenStarted, SUMMER, 'the input is not modified');
});

test('localize: strings are translated only when a language is set', () => {
  const row = { Name: '[SR_PARLEY_TOPIC_SUPPORT]', Label: 'NO:"Leverandør";US:"Supplier"', Other: 'plain' };
  assert.deepEqual(localize(row, loc()), row);
  assert.deepEqual(localize(row, loc({ language: 'nb' })), { Name: 'Kundestøtte', Label: 'Leverandør', Other: 'plain' });
  assert.deepEqual(localize(row, loc({ language: 'en' })), { Name: 'Customer support', Label: 'Supplier', Other: 'plain' });
  assert.equal(row.Name, '[SR_PARLEY_TOPIC_SUPPORT]');
});

test('localize: frozen shared parts are returned as they are when nothing is translated', () => {
  const shared = tableRight(ETableRight.None);
  assert.ok(Object.isFrozen(shared));
  assert.equal(localize(shared, loc()), shared);
});

test('localize: frozen shared parts are translated into a copy, once per language, and never changed', () => {
  const shared = tableRight(ETableRight.None);
  assert.equal(shared.Reason, '[SR_PARLEY_NO_ACCESS]');
  const nb = localize(shared, loc({ language: 'nb' })) as { Mask: string; Reason: string };
  assert.deepEqual(nb, { Mask: 'None', Reason: 'Du har ikke tilgang til denne posten' });
  assert.notEqual(nb, shared);
  const de = localize(shared, loc({ language: 'de' })) as { Reason: string };
  assert.equal(de.Reason, 'Sie haben keinen Zugriff auf diesen Datensatz');
  // Same input and language → the very same localized object, also when reached inside different rows.
  assert.equal(localize(shared, loc({ language: 'nb' })), nb);
  const rowA = localize({ TableRight: shared, When: SUMMER }, loc({ language: 'nb' })) as Record<string, unknown>;
  const rowB = localize({ TableRight: shared, When: WINTER }, loc({ language: 'nb', timeZone: 'UTC' })) as Record<string, unknown>;
  assert.equal(rowA.TableRight, nb);
  assert.equal(rowB.TableRight, nb);
  // The shared original is still frozen and untranslated.
  assert.ok(Object.isFrozen(shared));
  assert.deepEqual({ ...shared }, { Mask: 'None', Reason: '[SR_PARLEY_NO_ACCESS]' });
});

test('localize: nested frozen FieldProperties are translated without touching the shared ones', () => {
  const props = fieldProperties(ChatSessionSchema, ETableRight.FULL, new Set(['ChatSessionId'])) as Record<string, any>;
  assert.equal(props.ChatSessionId.FieldRight.Reason, '[SR_PARLEY_FIELD_SERVER_OWNED]');
  const sv = localize(props, loc({ language: 'sv' })) as Record<string, any>;
  assert.equal(sv.ChatSessionId.FieldRight.Reason, 'Sätts av servern');
  assert.equal(sv.ChatSessionId.FieldRight.Mask, 'Read');
  assert.equal(sv.CustomerName.FieldRight.Mask, 'Update');
  assert.equal(props.ChatSessionId.FieldRight.Reason, '[SR_PARLEY_FIELD_SERVER_OWNED]');
  assert.equal(localize(props, loc({ language: 'sv' })), sv);
});

test('encode JSON: plain JSON text; undefined is null', () => {
  assert.equal(encode({ Rank: 1, Name: 'a<b', When: null }, 'json', ChatSessionSchema), '{"Rank":1,"Name":"a<b","When":null}');
  assert.equal(encode(null, 'json', ChatSessionSchema), 'null');
  assert.equal(encode(undefined, 'json', undefined), 'null');
  assert.equal(encode(true, 'json', Type.Boolean()), 'true');
});

test('encode XML: root element names follow the .NET data contract names', () => {
  const root = (xml: string) => /^<\?xml version="1\.0" encoding="utf-8"\?><([A-Za-z]+)[ >]/.exec(xml)?.[1];
  assert.equal(root(encode({ Rank: 1 }, 'xml', ChatSessionSchema)), 'ChatSessionEntity');
  assert.equal(root(encode([{ Rank: 1 }], 'xml', Type.Array(ChatSessionSchema))), 'ArrayOfChatSessionEntity');
  assert.equal(root(encode([], 'xml', Type.Array(ChatTopicAgentSchema))), 'ArrayOfChatTopicAgent');
  assert.equal(root(encode(true, 'xml', Type.Boolean())), 'boolean');
  assert.equal(root(encode('x', 'xml', Type.String())), 'string');
  assert.equal(root(encode(5, 'xml', Type.Integer())), 'int');
  assert.equal(encode(true, 'xml', Type.Boolean()), '<?xml version="1.0" encoding="utf-8"?><boolean>true</boolean>');
});

test('encode XML: list items are elements named by their type', () => {
  const xml = encode([{ Rank: 1 }, { Rank: 2 }], 'xml', Type.Array(ChatSessionSchema));
  wellFormed(xml);
  assert.match(
    xml,
    /<ArrayOfChatSessionEntity[^>]*><ChatSessionEntity><Rank>1<\/Rank><\/ChatSessionEntity><ChatSessionEntity><Rank>2<\/Rank><\/ChatSessionEntity><\/ArrayOfChatSessionEntity>$/,
  );
  const strings = encode(['a', 'b'], 'xml', Type.Array(Type.String()));
  assert.match(strings, /<ArrayOfstring[^>]*><string>a<\/string><string>b<\/string><\/ArrayOfstring>$/);
  const empty = encode([], 'xml', Type.Array(ChatSessionSchema));
  wellFormed(empty);
  assert.doesNotMatch(empty, /<ChatSessionEntity/);
});

test('encode XML: null is xsi:nil="true" with the xsi namespace declared, and stays well-formed', () => {
  const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  const nullRoot = encode(null, 'xml', ChatSessionSchema);
  wellFormed(nullRoot);
  assert.match(nullRoot, /<ChatSessionEntity [^>]*xsi:nil="true"/);
  assert.ok(nullRoot.includes(XSI));

  const withNull = encode({ CustomerName: 'Ola', WhenEnded: null, User: null }, 'xml', ChatSessionSchema);
  wellFormed(withNull);
  assert.ok(withNull.includes(XSI));
  assert.match(withNull, /<WhenEnded xsi:nil="true"( ?\/>|><\/WhenEnded>)/);
  assert.match(withNull, /<User xsi:nil="true"( ?\/>|><\/User>)/);

  const nullString = encode(null, 'xml', Type.String());
  wellFormed(nullString);
  assert.match(nullString, /<string [^>]*xsi:nil="true"/);
});

test('encode XML: text with <, & and quotes is escaped and reads back unchanged', () => {
  const nasty = 'a < b && c > "d" \'e\' </CustomerName><Injected/>';
  const xml = encode({ CustomerName: nasty, FirstMessage: '<script>alert(1)</script>' }, 'xml', ChatSessionSchema);
  wellFormed(xml);
  assert.ok(!xml.includes('<Injected/>') && !xml.includes('<script>'));
  assert.ok(xml.includes('a &lt; b &amp;&amp; c'));
  assert.deepEqual(parseBody(xml, 'application/xml'), { CustomerName: nasty, FirstMessage: '<script>alert(1)</script>' });

  const root = encode('x < y & z', 'xml', Type.String());
  wellFormed(root);
  assert.equal(root, '<?xml version="1.0" encoding="utf-8"?><string>x &lt; y &amp; z</string>');
});

test('encode XML: characters XML 1.0 cannot carry become U+FFFD; tabs, newlines, emoji and JSON stay exact', () => {
  const pasted = 'bell\u0007 tab\t vt\u000b esc\u001b nl\n cr\r lone\ud800 pair\ud83d\ude00 ffff\uffff';
  const xml = encode({ CustomerName: pasted }, 'xml', ChatSessionSchema);
  wellFormed(xml);
  // (An XML reader turns a bare CR into LF: the standard's end-of-line handling.)
  assert.deepEqual(parseBody(xml, 'application/xml'), {
    CustomerName: 'bell\ufffd tab\t vt\ufffd esc\ufffd nl\n cr\n lone\ufffd pair\ud83d\ude00 ffff\ufffd',
  });
  assert.equal(JSON.parse(encode({ CustomerName: pasted }, 'json', ChatSessionSchema)).CustomerName, pasted);
});

test('encode XML → parseBody → decode round-trips a request with a list and a null date', () => {
  const schema = Type.Object(
    { ChatTopicId: Type.Integer(), Useragents: Type.Array(ChatTopicAgentSchema), When: ChatSessionSchema.properties.WhenEnded },
    { $id: 'RoundTrip' },
  );
  const value = {
    ChatTopicId: 4,
    Useragents: [
      { TopicId: 4, CanRespond: true },
      { TopicId: 4, CanListen: false },
    ],
    When: null,
  };
  const xml = encode(value, 'xml', schema);
  wellFormed(xml);
  assert.match(xml, /<Useragents><ChatTopicAgent>/);
  assert.deepEqual(decode(schema, parseBody(xml, 'text/xml'), { timeZone: 'UTC' }), value);
});
