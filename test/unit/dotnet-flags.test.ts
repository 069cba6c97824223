// Unit tests for src/lib/dotnet-flags.ts with the tables of src/domain/enums.ts: .NET [Flags] ToString
// (exact name, greedy largest parts in ascending order, number for unknown bits), parseFlags, enumName, parseEnum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddressType,
  ChatMessageSpecialType,
  ChatSessionFlags,
  ChatSessionStatus,
  EFieldRight,
  ETableRight,
  SaleStatus,
  UserType,
  WidgetRequiredFields,
} from '../../src/domain/enums.ts';
import { enumName, formatFlags, parseEnum, parseFlags } from '../../src/lib/dotnet-flags.ts';

test('formatFlags: an exact (composite) name wins over its parts', () => {
  assert.equal(formatFlags(15, ETableRight), 'FULL');
  assert.equal(formatFlags(3, ETableRight), 'UR');
  assert.equal(formatFlags(7, ETableRight), 'URI');
  assert.equal(formatFlags(38, ETableRight), 'WRITE');
  assert.equal(formatFlags(1, ETableRight), 'Select');
  assert.equal(formatFlags(3, EFieldRight), 'Update');
  assert.equal(formatFlags(192, EFieldRight), 'UIHints');
});

test('formatFlags: zero is the zero-valued name', () => {
  assert.equal(formatFlags(0, ETableRight), 'None');
  assert.equal(formatFlags(0, EFieldRight), 'None');
  assert.equal(formatFlags(0, WidgetRequiredFields), 'None');
  // ChatSessionFlags has no "None": its zero value is CustomerIsTyping.
  assert.equal(formatFlags(0, ChatSessionFlags), 'CustomerIsTyping');
  assert.equal(formatFlags(1, ChatSessionFlags), 'UserIsTyping');
  // Without a zero-valued name .NET writes "0".
  assert.equal(formatFlags(0, { A: 1, B: 2 }), '0');
});

test('formatFlags: otherwise the largest contained names, listed in ascending value order', () => {
  assert.equal(formatFlags(65, EFieldRight), 'Read, UIHintMandatory');
  assert.equal(formatFlags(67, EFieldRight), 'Update, UIHintMandatory');
  assert.equal(formatFlags(195, EFieldRight), 'Update, UIHints');
  assert.equal(formatFlags(9, ETableRight), 'Select, Delete');
  assert.equal(formatFlags(13, ETableRight), 'RI, Delete');
  // .NET takes composites greedily from the top: 31 = FI (20) + UDR (11), not FULL + Filtering.
  assert.equal(formatFlags(31, ETableRight), 'UDR, FI');
  assert.equal(formatFlags(3, WidgetRequiredFields), 'Email, Name');
  assert.equal(formatFlags(31, WidgetRequiredFields), 'Email, Name, Company, Phone, Country');
});

test('formatFlags: any bit without a name makes the whole value a number', () => {
  assert.equal(formatFlags(256, ETableRight), '256');
  assert.equal(formatFlags(15 | 256, ETableRight), '271');
  assert.equal(formatFlags(512, EFieldRight), '512');
  assert.equal(formatFlags(65 | 1024, EFieldRight), '1089');
  assert.equal(formatFlags(2, ChatSessionFlags), '2');
  assert.equal(formatFlags(3, ChatSessionFlags), '3');
  assert.equal(formatFlags(-1, ETableRight), '-1');
});

test('formatFlags: for duplicate values the first declared name is used', () => {
  const table = { First: 1, Second: 1, Two: 2 };
  assert.equal(formatFlags(1, table), 'First');
  assert.equal(formatFlags(3, table), 'First, Two');
});

test('parseFlags: single names, case-insensitive', () => {
  assert.equal(parseFlags('FULL', ETableRight), 15);
  assert.equal(parseFlags('full', ETableRight), 15);
  assert.equal(parseFlags('uihints', EFieldRight), 192);
  assert.equal(parseFlags('CustomerIsTyping', ChatSessionFlags), 0);
  assert.equal(parseFlags('useristyping', ChatSessionFlags), 1);
});

test('parseFlags: comma lists OR their names together', () => {
  assert.equal(parseFlags('Read, UIHintMandatory', EFieldRight), 65);
  assert.equal(parseFlags('read,uihintmandatory', EFieldRight), 65);
  assert.equal(parseFlags(' Select , Delete ', ETableRight), 9);
  assert.equal(parseFlags('Select, Update', ETableRight), 3);
  assert.equal(parseFlags('UR, Select', ETableRight), 3); // overlapping names
});

test('parseFlags: numbers, as text or as numbers', () => {
  assert.equal(parseFlags('15', ETableRight), 15);
  assert.equal(parseFlags(' 65 ', EFieldRight), 65);
  assert.equal(parseFlags(65, EFieldRight), 65);
  assert.equal(parseFlags(0, ChatSessionFlags), 0);
  assert.equal(parseFlags(-1, ETableRight), undefined);
  assert.equal(parseFlags(1.5, ETableRight), undefined);
  assert.equal(parseFlags(Number.NaN, ETableRight), undefined);
});

test('parseFlags: anything that is not a known name is undefined', () => {
  assert.equal(parseFlags('Bogus', ETableRight), undefined);
  assert.equal(parseFlags('Read, Bogus', EFieldRight), undefined);
  assert.equal(parseFlags('-1', ETableRight), undefined);
  assert.equal(parseFlags('1.5', ETableRight), undefined);
  // An empty text names nothing; .NET's Enum.Parse refuses it rather than reading 0.
  assert.equal(parseFlags('', ChatSessionFlags), undefined);
  assert.equal(parseFlags('  ', ETableRight), undefined);
  assert.equal(parseFlags(',', ETableRight), undefined);
});

test('parseFlags reads back everything formatFlags writes', () => {
  for (const table of [ETableRight, EFieldRight, ChatSessionFlags, WidgetRequiredFields]) {
    for (let v = 0; v < 600; v++) assert.equal(parseFlags(formatFlags(v, table), table), v, `${v} → ${formatFlags(v, table)}`);
  }
});

test('enumName: the name of a value, or the number when it has none', () => {
  assert.equal(enumName(7, ChatSessionStatus), 'Finished');
  assert.equal(enumName(0, ChatSessionStatus), 'Invalid');
  assert.equal(enumName(1, UserType), 'InternalAssociate');
  assert.equal(enumName(1000, SaleStatus), 'SaintAll');
  assert.equal(enumName(16387, AddressType), 'PersonPrivateAddress');
  assert.equal(enumName(99, ChatSessionStatus), '99');
  assert.equal(enumName(-1, ChatSessionStatus), '-1');
  assert.equal(enumName(1, { First: 1, Second: 1 }), 'First');
});

test('parseEnum: names (case-insensitive, trimmed) and declared numbers', () => {
  assert.equal(parseEnum('Finished', ChatSessionStatus), 7);
  assert.equal(parseEnum('finished', ChatSessionStatus), 7);
  assert.equal(parseEnum(' CLOSEDFROMQUEUE ', ChatSessionStatus), 11);
  assert.equal(parseEnum('Invalid', ChatSessionStatus), 0);
  assert.equal(parseEnum('7', ChatSessionStatus), 7);
  assert.equal(parseEnum(7, ChatSessionStatus), 7);
  assert.equal(parseEnum('16387', AddressType), 16387);
});

test('parseEnum: unknown names, undeclared numbers and lists are undefined', () => {
  assert.equal(parseEnum('Bogus', ChatSessionStatus), undefined);
  assert.equal(parseEnum('', ChatSessionStatus), undefined);
  assert.equal(parseEnum('99', ChatSessionStatus), undefined);
  assert.equal(parseEnum(99, ChatSessionStatus), undefined);
  assert.equal(parseEnum('-1', ChatSessionStatus), undefined);
  assert.equal(parseEnum(1.5, ChatSessionStatus), undefined);
  assert.equal(parseEnum('Finished, Closed', ChatSessionStatus), undefined);
  // Gaps in a table are not values: ChatMessageSpecialType has no 4, SaleStatus no 5.
  assert.equal(parseEnum(4, ChatMessageSpecialType), undefined);
  assert.equal(parseEnum('5', SaleStatus), undefined);
});
