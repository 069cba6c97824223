// Unit tests for src/api/select.ts: $select parsing against real carrier schemas (case, nesting, limits,
// parent + child) and applying the tree to objects and lists (unselected → null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../src/api/errors.ts';
import { applySelect, parseSelect, type SelectTree } from '../../src/api/select.ts';
import { ChatSessionSchema } from '../../src/carriers/chat-session.carrier.ts';

const ListSchema = Type.Array(ChatSessionSchema);

const isBadRequest = (e: unknown) => e instanceof ApiError && e.status === 400 && e.errorType === 'SoBadRequestException';

/** The tree as plain nested objects, for readable comparisons. */
const plain = (tree: SelectTree | undefined): unknown => tree && Object.fromEntries([...tree].map(([k, v]) => [k, v === true ? true : plain(v)]));

const session = () => ({
  ChatSessionId: 7,
  TopicId: 2,
  Status: 'InQueue',
  CustomerName: 'Ola',
  User: { AssociateId: 5, Name: 'ola', FullName: 'Ola Nordmann', TableRight: { Mask: 'Select', Reason: '' } },
  Person: null,
  TableRight: { Mask: 'FULL', Reason: '' },
});

test('empty, blank or missing $select means "no selection"', () => {
  assert.equal(parseSelect(undefined, ChatSessionSchema), undefined);
  assert.equal(parseSelect('', ChatSessionSchema), undefined);
  assert.equal(parseSelect('   ', ChatSessionSchema), undefined);
});

test('names are case-insensitive and come back as the schema spells them', () => {
  assert.deepEqual(plain(parseSelect('status, CHATSESSIONID ,customername', ChatSessionSchema)), { Status: true, ChatSessionId: true, CustomerName: true });
});

test('nested paths a/b resolve each level against the nested schema', () => {
  assert.deepEqual(plain(parseSelect('user/associateid,User/FULLNAME', ChatSessionSchema)), { User: { AssociateId: true, FullName: true } });
  // AssociateId is a property of the Associate, not of the session itself.
  assert.throws(() => parseSelect('AssociateId', ChatSessionSchema), isBadRequest);
  // A path cannot go below a primitive.
  assert.throws(() => parseSelect('Status/Name', ChatSessionSchema), isBadRequest);
});

test('a list schema selects on its element type', () => {
  assert.deepEqual(plain(parseSelect('Status,User/Name', ListSchema)), { Status: true, User: { Name: true } });
});

test('unknown names are a 400 naming the path', () => {
  assert.throws(
    () => parseSelect('Status,Bogus', ChatSessionSchema),
    (e: unknown) => isBadRequest(e) && /Bogus/.test((e as Error).message),
  );
  assert.throws(() => parseSelect('User/Bogus', ChatSessionSchema), isBadRequest);
  assert.throws(() => parseSelect('User/', ChatSessionSchema), isBadRequest);
});

test('$select on a result without properties is a 400', () => {
  assert.throws(() => parseSelect('Status', Type.Boolean()), isBadRequest);
  assert.throws(() => parseSelect('Status', undefined), isBadRequest);
});

test('limits: over 4096 characters or over 256 paths is a 400; at the limits it is fine', () => {
  const long = `Status,${' '.repeat(4090)}`;
  assert.equal(long.length, 4097);
  assert.throws(() => parseSelect(long, ChatSessionSchema), isBadRequest);
  assert.deepEqual(plain(parseSelect(long.slice(0, 4096), ChatSessionSchema)), { Status: true });

  const paths = (n: number) => Array.from({ length: n }, () => 'Status').join(',');
  assert.ok(paths(257).length <= 4096, 'the path count, not the length, must trip');
  assert.throws(() => parseSelect(paths(257), ChatSessionSchema), isBadRequest);
  assert.deepEqual(plain(parseSelect(paths(256), ChatSessionSchema)), { Status: true });
});

test('selecting a parent and one of its children keeps the whole parent, in either order', () => {
  assert.deepEqual(plain(parseSelect('User/AssociateId,User', ChatSessionSchema)), { User: true });
  assert.deepEqual(plain(parseSelect('User,User/AssociateId', ChatSessionSchema)), { User: true });
  // The child's name must not leak to the top level (the session has a Rank of its own).
  assert.deepEqual(plain(parseSelect('User,User/Rank', ChatSessionSchema)), { User: true });
});

test('applySelect keeps selected values, nulls the rest, keeps every key', () => {
  const out = applySelect(session(), parseSelect('Status,User/FullName', ChatSessionSchema)!) as Record<string, any>;
  assert.deepEqual(out, {
    ChatSessionId: null,
    TopicId: null,
    Status: 'InQueue',
    CustomerName: null,
    User: { AssociateId: null, Name: null, FullName: 'Ola Nordmann', TableRight: null },
    Person: null,
    TableRight: null,
  });
});

test('applySelect with a whole parent keeps the nested object as is', () => {
  const s = session();
  const out = applySelect(s, parseSelect('user', ChatSessionSchema)!) as Record<string, any>;
  assert.deepEqual(out.User, s.User);
  assert.equal(out.ChatSessionId, null);
});

test('applySelect works element-wise on lists and leaves null nested values null', () => {
  const tree = parseSelect('ChatSessionId,User/AssociateId', ListSchema)!;
  const list = [session(), { ...session(), ChatSessionId: 8, User: null }];
  assert.deepEqual(applySelect(list, tree), [
    {
      ChatSessionId: 7,
      TopicId: null,
      Status: null,
      CustomerName: null,
      User: { AssociateId: 5, Name: null, FullName: null, TableRight: null },
      Person: null,
      TableRight: null,
    },
    { ChatSessionId: 8, TopicId: null, Status: null, CustomerName: null, User: null, Person: null, TableRight: null },
  ]);
  assert.deepEqual(applySelect([], tree), []);
});

test('applySelect does not modify its input and leaves Dates and primitives alone', () => {
  const s = session();
  const before = structuredClone(s);
  applySelect(s, parseSelect('Status', ChatSessionSchema)!);
  assert.deepEqual(s, before);
  const when = new Date('2024-01-01T00:00:00Z');
  assert.equal(applySelect(when, new Map()), when);
  assert.equal(applySelect(42, new Map()), 42);
});
