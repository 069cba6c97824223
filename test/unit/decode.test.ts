// Unit tests for src/api/decode.ts against real carrier schemas: property names, integers, booleans, enums,
// flags, string lengths, dates in the caller's zone, opening-hours times of day, and (XML-wrapped) lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type, type TSchema } from '@sinclair/typebox';
import { parseBody } from '../../src/api/body.ts';
import { decode } from '../../src/api/decode.ts';
import { topicAgentEndpoints } from '../../src/api/endpoints/topic-agent.endpoints.ts';
import { ApiError } from '../../src/api/errors.ts';
import { ChatSessionSchema } from '../../src/carriers/chat-session.carrier.ts';
import { ChatTopicAgentSchema } from '../../src/carriers/chat-topic-agent.carrier.ts';
import { OpeningHoursSchema } from '../../src/carriers/opening-hours.carrier.ts';

const OSLO = { timeZone: 'Europe/Oslo' };
const session = (value: Record<string, unknown>, ctx = OSLO) => decode(ChatSessionSchema, value, ctx) as Record<string, any>;
const one = (name: string, value: unknown, schema: TSchema = ChatSessionSchema, ctx = OSLO) =>
  (decode(schema, { [name]: value }, ctx) as Record<string, any>)[name];

/** A 400 whose message matches every given pattern (the property name, the limit...). */
const bad =
  (...patterns: RegExp[]) =>
  (e: unknown) => {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    assert.equal(e.status, 400);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };

test('property names are case-insensitive and come out as the schema spells them', () => {
  assert.deepEqual(session({ chatsessionid: 12, CUSTOMERNAME: 'Ola', user: { associateid: 5 } }), {
    ChatSessionId: 12,
    CustomerName: 'Ola',
    User: { AssociateId: 5 },
  });
});

test('an unknown property is a 400 naming it (and where it is)', () => {
  assert.throws(() => session({ Status: 'InQueue', Colour: 'red' }), bad(/Colour/));
  assert.throws(() => session({ User: { AssociateId: 1, Shoe: 9 } }), bad(/User/, /Shoe/));
});

test('the same property twice in different case is a 400', () => {
  assert.throws(() => session({ Rank: 1, rank: 2 }), bad(/Rank/));
});

test('TableRight, FieldProperties and _links are response-only and ignored on input, at any level', () => {
  assert.deepEqual(
    session({
      Rank: 1,
      TableRight: { Mask: 'FULL', Reason: '' },
      fieldproperties: 'garbage',
      _links: [1],
      User: { AssociateId: 5, TableRight: 'x', FieldProperties: {} },
    }),
    { Rank: 1, User: { AssociateId: 5 } },
  );
});

test('integers: numbers and numeric text within int32; anything else is a 400', () => {
  assert.equal(one('Rank', 12), 12);
  assert.equal(one('Rank', '12'), 12);
  assert.equal(one('Rank', ' -5 '), -5);
  assert.equal(one('Rank', 2147483647), 2147483647);
  assert.equal(one('Rank', '-2147483648'), -2147483648);
  assert.throws(() => one('Rank', 2147483648), bad(/Rank/));
  assert.throws(() => one('Rank', '-2147483649'), bad(/Rank/));
  assert.throws(() => one('Rank', '99999999999999999999'), bad(/Rank/));
  for (const v of [1.5, '1.5', '1e3', '0x10', 'twelve', '', true, [1], {}]) {
    assert.throws(() => one('Rank', v), bad(/Rank/), JSON.stringify(v));
  }
  assert.throws(() => one('Rank', null), bad(/Rank/, /null/));
});

test('booleans: true/false, "true"/"false", "1"/"0"; anything else is a 400', () => {
  for (const v of [true, 'true', 'True', '1', 1]) assert.equal(one('CustomerConsented', v), true, JSON.stringify(v));
  for (const v of [false, 'false', 'False', '0', 0]) assert.equal(one('CustomerConsented', v), false, JSON.stringify(v));
  for (const v of ['yes', '2', 2, '', 'on']) assert.throws(() => one('CustomerConsented', v), bad(/CustomerConsented/), JSON.stringify(v));
});

test('enums: by name in any case, or by a declared number; invalid values are a 400 listing the names', () => {
  assert.equal(one('Status', 'Finished'), 7);
  assert.equal(one('Status', 'finished'), 7);
  assert.equal(one('Status', 'INQUEUE'), 4);
  assert.equal(one('Status', 7), 7);
  assert.equal(one('Status', '7'), 7);
  assert.throws(() => one('Status', 'Done'), bad(/Status/, /Done/, /Finished/));
  assert.throws(() => one('Status', 99), bad(/Status/));
  assert.throws(() => one('Status', true), bad(/Status/));
  assert.throws(() => one('Status', ''), bad(/Status/));
});

test('[Flags]: names, name lists and numbers; unknown names, empty text and huge numbers are a 400', () => {
  assert.equal(one('Flags', 'UserIsTyping'), 1);
  assert.equal(one('Flags', 'customeristyping'), 0);
  assert.equal(one('Flags', 'CustomerIsTyping, UserIsTyping'), 1);
  assert.equal(one('Flags', '1'), 1);
  assert.equal(one('Flags', 0), 0);
  assert.throws(() => one('Flags', 'Typing'), bad(/Flags/));
  assert.throws(() => one('Flags', ''), bad(/Flags/));
  assert.throws(() => one('Flags', '99999999999'), bad(/Flags/)); // would not fit the 32-bit column
});

test('strings: within the column length; longer is a 400 naming the property and the limit', () => {
  assert.equal(one('CustomerPhone', '9'.repeat(32)), '9'.repeat(32));
  assert.throws(() => one('CustomerPhone', '9'.repeat(33)), bad(/CustomerPhone/, /32/));
  assert.equal(one('FirstMessage', 'x'.repeat(1024)).length, 1024);
  assert.throws(() => one('FirstMessage', 'x'.repeat(1025)), bad(/FirstMessage/, /1024/));
  assert.equal(one('CustomerName', ''), '');
  assert.throws(() => one('CustomerName', null), bad(/CustomerName/));
  assert.throws(() => one('CustomerName', { a: 1 }), bad(/CustomerName/));
});

test("dates: an explicit offset or Z is honoured whatever the caller's zone", () => {
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00-05:00').toISOString(), '2024-07-01T17:00:00.000Z');
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00Z').toISOString(), '2024-07-01T12:00:00.000Z');
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00+0200', ChatSessionSchema, { timeZone: 'America/New_York' }).toISOString(), '2024-07-01T10:00:00.000Z');
});

test("dates: without an offset the wall time is read in the caller's zone, DST included", () => {
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00').toISOString(), '2024-07-01T10:00:00.000Z'); // CEST +2
  assert.equal(one('WhenRequested', '2024-01-15T12:00:00').toISOString(), '2024-01-15T11:00:00.000Z'); // CET +1
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00', ChatSessionSchema, { timeZone: 'UTC' }).toISOString(), '2024-07-01T12:00:00.000Z');
  assert.equal(one('WhenRequested', '2024-07-01T12:00:00.5', ChatSessionSchema, { timeZone: 'America/New_York' }).toISOString(), '2024-07-01T16:00:00.500Z');
});

test('dates: .NET\'s DateTime.MinValue, null and empty mean "no date"', () => {
  assert.equal(one('WhenEnded', '0001-01-01T00:00:00'), null);
  assert.equal(one('WhenEnded', '0001-01-01T00:00:00', ChatSessionSchema, { timeZone: 'UTC' }), null);
  assert.equal(one('WhenEnded', '0001-01-01T00:00:00Z'), null);
  assert.equal(one('WhenEnded', null), null);
  assert.equal(one('WhenEnded', ''), null);
});

test('dates: a null date written as XML (xsi:nil) reads back as null', () => {
  const xml =
    '<ChatSessionEntity xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + '<Rank>2</Rank><WhenEnded xsi:nil="true"></WhenEnded></ChatSessionEntity>';
  assert.deepEqual(session(parseBody(xml, 'application/xml') as Record<string, unknown>), { Rank: 2, WhenEnded: null });
});

test('dates: garbage, impossible dates and non-text are a 400 naming the property', () => {
  for (const v of [
    'yesterday',
    '2024-13-01T00:00:00',
    '2024-02-30T00:00:00',
    '2024-07-01T25:00:00',
    '2024-07-01T12:00:00+15:00',
    '01.07.2024',
    1719835200000,
    true,
    {},
  ]) {
    assert.throws(() => one('WhenRequested', v), bad(/WhenRequested/), JSON.stringify(v));
  }
});

test("opening hours: times of day as TimeSpan text, ISO durations or a date-time's written time", () => {
  const hours = decode(
    OpeningHoursSchema,
    {
      MonStart: '08:00:00',
      MonStop: '16:30',
      TueStart: 'PT8H',
      TueStop: 'PT16H30M',
      WedStart: '08:00:00.000',
      // dayjs().format(): the time as written is the time of day; the offset does not shift it.
      WedStop: '2024-05-06T16:30:00+02:00',
      ThuStop: '1.00:00:00',
      FriStart: '0:00',
      LunchStart: '11:30:00',
      MonEnabled: 'true',
      TzLocation: { TZLocationCode: 'NO' },
    },
    OSLO,
  );
  assert.deepEqual(hours, {
    MonStart: 480,
    MonStop: 990,
    TueStart: 480,
    TueStop: 990,
    WedStart: 480,
    WedStop: 990,
    ThuStop: 1440,
    FriStart: 0,
    LunchStart: 690,
    MonEnabled: true,
    TzLocation: { TZLocationCode: 'NO' },
  });
});

test('opening hours: invalid times of day are a 400 naming the field', () => {
  for (const v of ['25:00', '08:60', '24:30', 'PT', 'eight', '', 480, null]) {
    assert.throws(() => decode(OpeningHoursSchema, { MonStart: v }, OSLO), bad(/MonStart/), JSON.stringify(v));
  }
  assert.throws(() => decode(OpeningHoursSchema, { SunStop: '2.00:00:00' }, OSLO), bad(/SunStop/));
});

test('nested carriers: empty or null is null, a non-object is a 400', () => {
  assert.equal(one('User', null), null);
  assert.equal(one('User', ''), null);
  assert.throws(() => one('User', 'ola'), bad(/User/));
  assert.throws(() => one('User', [{ AssociateId: 1 }]), bad(/User/));
  assert.throws(() => decode(ChatSessionSchema, [], OSLO), bad());
});

test('lists: plain arrays, XML-style wrapped lists and a wrapped single element', () => {
  const List = Type.Array(ChatTopicAgentSchema);
  assert.deepEqual(decode(List, [{ TopicId: 1, CanListen: true }, { topicid: '2' }], OSLO), [{ TopicId: 1, CanListen: true }, { TopicId: 2 }]);
  assert.deepEqual(decode(List, { ChatTopicAgent: [{ TopicId: '1', CanListen: 'true' }, { TopicId: '2' }] }, OSLO), [
    { TopicId: 1, CanListen: true },
    { TopicId: 2 },
  ]);
  assert.deepEqual(decode(List, { ChatTopicAgent: { TopicId: '3' } }, OSLO), [{ TopicId: 3 }]);
  assert.deepEqual(decode(List, [], OSLO), []);
  assert.equal(decode(List, null, OSLO), null);
  assert.throws(() => decode(List, { A: [], B: [] }, OSLO), bad());
  assert.throws(() => decode(List, 'agents', OSLO), bad());
  // An item's mistake names its position.
  assert.throws(() => decode(List, [{ TopicId: 1 }, { TopicId: 'x' }], OSLO), bad(/\[1\]/, /TopicId/));
});

test('an XML UpdateChatTopicUserAgents body with one or two agents decodes to a list', () => {
  const schema = topicAgentEndpoints.find((e) => e.name === 'UpdateChatTopicUserAgents')!.body!;
  const xml = (agents: string) => `<UpdateChatTopicUserAgents><ChatTopicId>4</ChatTopicId><Useragents>${agents}</Useragents></UpdateChatTopicUserAgents>`;
  const agent = (id: number) => `<ChatTopicAgent><User><AssociateId>${id}</AssociateId></User><CanRespond>true</CanRespond></ChatTopicAgent>`;
  assert.deepEqual(decode(schema, parseBody(xml(agent(5)), 'text/xml'), OSLO), {
    ChatTopicId: 4,
    Useragents: [{ User: { AssociateId: 5 }, CanRespond: true }],
  });
  assert.deepEqual(decode(schema, parseBody(xml(agent(5) + agent(6)), 'text/xml'), OSLO), {
    ChatTopicId: 4,
    Useragents: [
      { User: { AssociateId: 5 }, CanRespond: true },
      { User: { AssociateId: 6 }, CanRespond: true },
    ],
  });
  assert.deepEqual(decode(schema, parseBody(xml(''), 'text/xml'), OSLO), { ChatTopicId: 4, Useragents: null });
});

test('form bodies decode like JSON ones (text values, nested Useragent)', () => {
  const schema = topicAgentEndpoints.find((e) => e.name === 'AddChatTopicUserAgent')!.body!;
  const form = parseBody('ChatTopicId=4&Useragent.CanListen=true&Useragent.User.AssociateId=5', 'application/x-www-form-urlencoded');
  assert.deepEqual(JSON.parse(JSON.stringify(decode(schema, form, OSLO))), { ChatTopicId: 4, Useragent: { CanListen: true, User: { AssociateId: 5 } } });
});

test('undefined stays undefined (an absent body field)', () => {
  assert.equal(decode(ChatSessionSchema, undefined, OSLO), undefined);
});
