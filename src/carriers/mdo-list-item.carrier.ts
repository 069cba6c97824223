// MDOListItem (a Carrier): an item of a SuperOffice list, here GetUserAgentList's users and user groups. A group
// holds its users as ChildItems, so the schema refers to itself.
import { Type } from '@sinclair/typebox';
import { ETableRight } from '../domain/enums.ts';
import type { UserAgentList, UserGroup } from '../domain/presence/user-agent-list.ts';
import { displayName } from '../domain/presence/users.ts';
import type { Associate } from '../domain/types.ts';
import { Bool, Carrier, Int, Str, type WireObject } from './kit.ts';
import { fieldProperties, tableRight } from './rights.carrier.ts';

export const MDOListItemSchema = Carrier(
  'MDOListItem',
  {
    Id: Int('An associate id for a user; a negative number for a user group'),
    Name: Str(255, "The user's full name, or the group's name"),
    ToolTip: Str(255, "The user name, or the group's name"),
    Deleted: Bool(),
    Rank: Int('Position in its list, from 1'),
    Type: Str(undefined, '"associate" or "group"'),
    ChildItems: Type.Array(Type.Unknown(), { nullable: true, description: 'The users of a group; empty for a user' }),
    IconHint: Str(),
    ColorBlock: Int(),
    ExtraInfo: Str(),
    StyleHint: Str(),
    FullName: Str(255, "The user's full name, or the group's name"),
  },
  'An item of a list: a user, or a user group with its users.',
);
// The child items are MDOListItems themselves (OpenAPI gets a $ref to the component, XML <MDOListItem> elements).
(MDOListItemSchema.properties.ChildItems as { items: unknown }).items = MDOListItemSchema;

/** No group was given the user: translated on the way out ("No group", "Ingen gruppe", ...). */
export const NO_GROUP_NAME = '[SR_PARLEY_GROUP_NONE]';

// The list is for reading: every field follows the Select right, so lists carry no field exceptions.
const rights = () => ({
  TableRight: tableRight(ETableRight.Select),
  FieldProperties: fieldProperties(MDOListItemSchema, ETableRight.Select, new Set(), 'exceptions'),
});

const item = (id: number, name: string, toolTip: string, rank: number, type: string, childItems: WireObject[]): WireObject => ({
  Id: id,
  Name: name,
  ToolTip: toolTip,
  Deleted: false,
  Rank: rank,
  Type: type,
  ChildItems: childItems,
  IconHint: '',
  ColorBlock: 0,
  ExtraInfo: '',
  StyleHint: '',
  FullName: name,
  ...rights(),
});

const userItem = (u: Associate, i: number) => item(u.id, displayName(u), u.userName, i + 1, 'associate', []);
const groupItem = (g: UserGroup, i: number) => {
  const name = g.name ?? NO_GROUP_NAME;
  return item(g.id, name, name, i + 1, 'group', g.users.map(userItem));
};

export const presentUserAgentList = (list: UserAgentList): WireObject[] => (list.flat ? list.users.map(userItem) : list.groups.map(groupItem));
