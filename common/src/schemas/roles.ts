import { type Static, Type } from '@sinclair/typebox';
import { Text } from './common.ts';

export const ROLE_KINDS = ['business', 'system', 'security', 'audit'] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];
export const RoleKindSchema = Type.Union(ROLE_KINDS.map((k) => Type.Literal(k)));

/** A permission's kind: the administrator kind that owns it, `business`, or `shared` (read-only, any kind). */
export const PERMISSION_KINDS = [...ROLE_KINDS, 'shared'] as const;
export type PermissionKind = (typeof PERMISSION_KINDS)[number];

export const Role = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  kind: RoleKindSchema,
  permissions: Type.Array(Type.String()),
  builtin: Type.Boolean(),
  abilities: Type.Object({ update: Type.Boolean() }),
});
export type Role = Static<typeof Role>;

export const RoleRef = Type.Object({ id: Type.Integer(), name: Type.String(), kind: RoleKindSchema });
export type RoleRef = Static<typeof RoleRef>;

const Permissions = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: 100,
  uniqueItems: true,
});
const Description = Type.String({ maxLength: 500 });

export const CreateRoleBody = Type.Object(
  {
    name: Text(64),
    nameEn: Type.Optional(Text(128, 0)),
    description: Type.Optional(Description),
    permissions: Permissions,
  },
  { additionalProperties: false },
);
export type CreateRoleBody = Static<typeof CreateRoleBody>;

export const UpdateRoleBody = Type.Object(
  {
    name: Type.Optional(Text(64)),
    nameEn: Type.Optional(Text(128, 0)),
    description: Type.Optional(Description),
    permissions: Type.Optional(Permissions),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRoleBody = Static<typeof UpdateRoleBody>;

export const PermissionInfo = Type.Object({
  permission: Type.String(),
  kind: Type.Union(PERMISSION_KINDS.map((k) => Type.Literal(k))),
});
export type PermissionInfo = Static<typeof PermissionInfo>;
