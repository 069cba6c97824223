// Project, as linked from a session.
import type { Project } from '../domain/types.ts';
import { Bool, Carrier, DateTime, Int, Str } from './kit.ts';
import { nestedRights } from './nested.ts';

const s = (n = 255) => Str(n);
export const ProjectSchema = Carrier('Project', {
  ProjectId: Int(),
  Name: s(),
  Description: s(1024),
  URL: s(),
  Type: s(),
  AssociateId: Int(),
  AssociateFullName: s(),
  TypeId: Int(),
  Updated: DateTime(),
  StatusId: Int(),
  Status: s(),
  TextId: Int(),
  PublishTo: DateTime(),
  PublishFrom: DateTime(),
  IsPublished: Bool(),
  URLName: s(),
  ProjectNumber: s(),
  ActiveErpLinks: Int(),
  EventId: Int(),
  StartDate: DateTime(),
});

export const presentProject = (p: Project | undefined) =>
  p
    ? {
        ProjectId: p.id,
        Name: p.name,
        Description: p.description,
        URL: '',
        Type: p.typeName,
        AssociateId: p.associateId ?? 0,
        AssociateFullName: '',
        TypeId: 0,
        Updated: p.updated,
        StatusId: 0,
        Status: p.statusName,
        TextId: 0,
        PublishTo: null,
        PublishFrom: null,
        IsPublished: false,
        URLName: '',
        ProjectNumber: p.projectNumber,
        ActiveErpLinks: 0,
        EventId: 0,
        StartDate: null,
        ...nestedRights(),
      }
    : null;
