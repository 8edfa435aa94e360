import { type Static, Type } from '@sinclair/typebox';
import { Text } from './common.ts';

export const DepartmentRef = Type.Object({
  id: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
});
export type DepartmentRef = Static<typeof DepartmentRef>;

export const Department = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  active: Type.Boolean(),
  abilities: Type.Object({ update: Type.Boolean() }),
});
export type Department = Static<typeof Department>;

export const DepartmentCode = Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z_-]+$' });

export const CreateDepartmentBody = Type.Object(
  { code: DepartmentCode, nameZh: Text(64), nameEn: Text(128) },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

export const UpdateDepartmentBody = Type.Object(
  {
    nameZh: Type.Optional(Text(64)),
    nameEn: Type.Optional(Text(128)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>;
