import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Page, PageQuery, Text } from './common.ts';

export const AUDIT_RESULTS = ['success', 'failure', 'denied'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];
export const AuditResultSchema = Type.Union(AUDIT_RESULTS.map((r) => Type.Literal(r)));

/** A non-empty single-line string, as `Text` in common.ts. */
const LINE = { minLength: 1, pattern: '^[^\\u0000-\\u001f]*$' };

/** The filters shared by search and export; every one is optional and they combine with AND. */
const filterFields = {
  actor: Type.Optional(
    Type.String({
      ...LINE,
      maxLength: 64,
      description: 'a substring of the username, or an exact account id',
    }),
  ),
  action: Type.Optional(
    Type.String({
      ...LINE,
      maxLength: 64,
      description: 'an action prefix, e.g. "auth." or "account.disable"',
    }),
  ),
  objectType: Type.Optional(Text(64)),
  objectId: Type.Optional(Text(128)),
  result: Type.Optional(AuditResultSchema),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive, ISO 8601 with offset' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive, ISO 8601 with offset' })),
};

export const AUDIT_FILTERS = Object.keys(filterFields) as (keyof typeof filterFields)[];

export const AuditExportQuery = Type.Object(filterFields, { additionalProperties: false });
export type AuditFilters = Static<typeof AuditExportQuery>;

export const AuditQuery = Type.Object({ ...filterFields, ...PageQuery }, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  actorRoles: Type.Array(Type.String()),
  ip: Nullable(Type.String()),
  action: Type.String(),
  objectType: Nullable(Type.String()),
  objectId: Nullable(Type.String()),
  result: AuditResultSchema,
  reason: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  /** Non-personal facts about the change, as the writer recorded them. */
  detail: Type.Unknown(),
  hash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Page(AuditEntry);
export type AuditPage = Static<typeof AuditPage>;

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  algorithm: Type.String(),
  firstBroken: Type.Optional(Type.Object({ id: Type.Integer(), reason: Type.String() })),
});
export type AuditVerification = Static<typeof AuditVerification>;

/** The spreadsheet returned by the export, for the OpenAPI document. */
export const XlsxFile = Type.Unsafe<Uint8Array>({
  type: 'string',
  format: 'binary',
  contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});
