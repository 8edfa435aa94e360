import { type Static, Type } from '@sinclair/typebox';

/**
 * The security policy. Bounds keep it at or above MLPS 2.0 level 3 practice: it can be
 * tightened freely but not loosened below sensible minimums.
 */
export const SecurityPolicy = Type.Object(
  {
    passwordMinLength: Type.Integer({ minimum: 8, maximum: 64 }),
    passwordClasses: Type.Integer({ minimum: 3, maximum: 4 }),
    passwordBlocklist: Type.Boolean(),
    lockoutThreshold: Type.Integer({ minimum: 3, maximum: 10 }),
    lockoutMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
    idleMinutes: Type.Integer({ minimum: 5, maximum: 60 }),
    absoluteHours: Type.Integer({ minimum: 1, maximum: 24 }),
    inactiveDays: Type.Integer({ minimum: 30, maximum: 365 }),
    totpRequiredForStaff: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SecurityPolicy = Static<typeof SecurityPolicy>;
