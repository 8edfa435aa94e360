import { type Static, Type } from '@sinclair/typebox';

/**
 * One inbox entry. Titles and bodies never carry personal values (names, phones, addresses). `title` is the
 * server's zh-CN text; with `matter` a client can show its own label for `kind` before the matter's code and
 * title instead.
 */
export const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  matterId: Type.Union([Type.Integer(), Type.Null()]),
  matter: Type.Union([Type.Object({ code: Type.String(), title: Type.String() }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Notification = Static<typeof Notification>;

export const NotificationQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuery>;

/** `total` counts what the query selects; `unread` counts every unread entry of the caller. */
export const NotificationPage = Type.Object({
  items: Type.Array(Notification),
  total: Type.Integer(),
  unread: Type.Integer(),
});
export type NotificationPage = Static<typeof NotificationPage>;

/** Mark some entries read, or all of them. */
export const MarkReadBody = Type.Union([
  Type.Object(
    { ids: Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  ),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);
export type MarkReadBody = Static<typeof MarkReadBody>;

export const MarkReadResult = Type.Object({ marked: Type.Integer(), unread: Type.Integer() });
export type MarkReadResult = Static<typeof MarkReadResult>;

/** What `GET /api/events` sends as `event: notification` (and, later, `event: matter`). */
export const LiveEvent = Type.Object({
  kind: Type.String(),
  matterId: Type.Union([Type.Integer(), Type.Null()]),
});
export type LiveEvent = Static<typeof LiveEvent>;
