import { type Static, Type } from '@sinclair/typebox';
import { Email, Username } from './common.ts';

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
  /** The caller's work e-mail address, null when none is set. */
  email: Type.Union([Type.String(), Type.Null()]),
  /** Whether the caller receives notifications by e-mail too. */
  emailNotifications: Type.Boolean(),
});
export type Me = Static<typeof Me>;

/**
 * The caller's own e-mail settings (PATCH /auth/me): the address (null clears it, which also turns the
 * e-mail notifications off) and the switch (on only with an address). At least one of them.
 */
export const UpdateMeBody = Type.Object(
  {
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    emailNotifications: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;
