// The four roles of a topic agent, copied without the row's other fields.
import type { Role } from '../rights.ts';

export const rolesOf = (r: Role): Role => ({
  canListen: r.canListen,
  canRespond: r.canRespond,
  canManage: r.canManage,
  canNotify: r.canNotify,
});
