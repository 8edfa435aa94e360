import { type Static, Type } from '@sinclair/typebox';
import { Username } from './common.ts';

export const SESSION_STAGES = ['totp', 'password', 'enroll', 'active'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];
export const SessionStageSchema = Type.Union(SESSION_STAGES.map((s) => Type.Literal(s)));

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const StageResponse = Type.Object({ stage: SessionStageSchema, csrfToken: Type.String() });
export type StageResponse = Static<typeof StageResponse>;

export const CodeBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type PasswordChangeBody = Static<typeof PasswordChangeBody>;

export const TotpEnrolment = Type.Object({ secret: Type.String(), uri: Type.String() });

export const Me = Type.Object({
  id: Type.Integer(),
  username: Username,
  displayName: Type.String(),
  stage: SessionStageSchema,
  csrfToken: Type.String(),
  kind: Type.Union([
    Type.Literal('business'),
    Type.Literal('system'),
    Type.Literal('security'),
    Type.Literal('audit'),
    Type.Null(),
  ]),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  homeGrid: Type.Object({ id: Type.Integer(), name: Type.String(), path: Type.String() }),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  idleMinutes: Type.Integer(),
});
export type Me = Static<typeof Me>;
