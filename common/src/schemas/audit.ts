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

/**
 * How the chain is broken: `link` a row does not link to its predecessor, `content` a row does not
 * match its own hash, `anchor_mismatch` a row recorded by an anchor is gone or carries another hash,
 * `truncated` the chain ends before an anchored row (its newest rows were removed).
 */
export const AUDIT_BROKEN_KINDS = ['link', 'content', 'anchor_mismatch', 'truncated'] as const;
export type AuditBrokenKind = (typeof AUDIT_BROKEN_KINDS)[number];

/** An anchor: the chain's head as this server node recorded it outside the database. */
const AnchorRef = Type.Object({ id: Type.Integer(), at: Type.String({ format: 'date-time' }) });

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  algorithm: Type.String(),
  firstBroken: Type.Optional(
    Type.Object({
      /** The broken row, or for anchor failures the anchored row's id. */
      id: Type.Integer(),
      kind: Type.Union(AUDIT_BROKEN_KINDS.map((k) => Type.Literal(k))),
      /** In English, for logs and the CLI. */
      reason: Type.String(),
      anchor: Type.Optional(AnchorRef),
      /** For `truncated`: the id of the chain's last row (null: the log is empty). */
      lastId: Type.Optional(Nullable(Type.Integer())),
    }),
  ),
  /** The anchors of the node that answered: how many matched their row, and the newest one. */
  anchors: Type.Object({ checked: Type.Integer(), latest: Nullable(AnchorRef) }),
});
export type AuditVerification = Static<typeof AuditVerification>;

/** The spreadsheet returned by the export, for the OpenAPI document. */
export const XlsxFile = Type.Unsafe<Uint8Array>({
  type: 'string',
  format: 'binary',
  contentMediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
});
