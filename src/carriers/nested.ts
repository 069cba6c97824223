// How nested carriers end: read-only for the caller, with field rights reported on the top-level carrier only.
import { NESTED_TABLE_RIGHT, tableRight } from './rights.carrier.ts';

const EMPTY = Object.freeze({});
export const nestedRights = () => ({ TableRight: tableRight(NESTED_TABLE_RIGHT), FieldProperties: EMPTY });
