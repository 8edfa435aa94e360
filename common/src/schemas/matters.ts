import { type Static, Type } from '@sinclair/typebox';
import { MATTER_RATINGS, MATTER_STATES, MATTER_TRANSITION_NAMES, MATTER_TYPES } from '../workflow/matter.ts';
import { Text } from './common.ts';
import { GridLevelSchema } from './grids.ts';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const MatterTypeSchema = literals(MATTER_TYPES);
export const MatterStateSchema = literals(MATTER_STATES);
export const TransitionNameSchema = literals(MATTER_TRANSITION_NAMES);
export const RatingSchema = literals(MATTER_RATINGS);
export const MATTER_SOURCES = ['grid_worker', 'desk', 'hotline', 'portal', 'open311', 'screening'] as const;
export const SourceSchema = literals(MATTER_SOURCES);
export const PERSONAL_FIELDS = ['name', 'phone', 'id_number', 'address'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
const TimeLimitSchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: 100_000 }),
    unit: literals(['minutes', 'hours', 'days', 'workdays'] as const),
  },
  { additionalProperties: false },
);
export const StepSchema = literals(['accept', 'sign', 'handle', 'verify'] as const);

// ---- categories --------------------------------------------------------------------------------------
export const Category = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  matterType: Type.Union([MatterTypeSchema, Type.Null()]),
  defaultLevel: Type.Union([Type.String(), Type.Null()]),
  defaultDepartmentCode: Type.Union([Type.String(), Type.Null()]),
  limits: Type.Union([
    Type.Object({
      accept: Type.Optional(TimeLimitSchema),
      sign: Type.Optional(TimeLimitSchema),
      handle: Type.Optional(TimeLimitSchema),
      verify: Type.Optional(TimeLimitSchema),
    }),
    Type.Null(),
  ]),
  requiredFields: Type.Array(literals(['location', 'photos'] as const)),
  personalFields: Type.Array(literals(PERSONAL_FIELDS)),
  petition: Type.Boolean(),
  active: Type.Boolean(),
});
export type Category = Static<typeof Category>;

export const UpdateCategoryBody = Type.Object(
  {
    nameZh: Type.Optional(Text(64)),
    nameEn: Type.Optional(Text(64)),
    defaultLevel: Type.Optional(literals(['village', 'town', 'county'] as const)),
    defaultDepartmentCode: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
    limits: Type.Optional(
      Type.Object(
        { accept: TimeLimitSchema, sign: TimeLimitSchema, handle: TimeLimitSchema, verify: TimeLimitSchema },
        { additionalProperties: false },
      ),
    ),
    requiredFields: Type.Optional(Type.Array(literals(['location', 'photos'] as const), { maxItems: 2 })),
    personalFields: Type.Optional(Type.Array(literals(PERSONAL_FIELDS), { maxItems: 4 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

// ---- personal information (always masked in responses) ----------------------------------------------
export const PartyInput = Type.Object(
  {
    name: Type.Optional(Text(64)),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 20, pattern: '^[0-9+\\- ]+$' })),
    id_number: Type.Optional(
      Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9]{15}([0-9]{2}[0-9Xx])?$' }),
    ),
    address: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);
export type PartyInput = Static<typeof PartyInput>;

export const MaskedParty = Type.Object({
  id: Type.Integer(),
  role: literals(['requester', 'party'] as const),
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  id_number: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
});

// ---- create ------------------------------------------------------------------------------------------
export const CreateMatterBody = Type.Object(
  {
    categoryId: Type.Integer({ minimum: 1 }),
    title: Text(100),
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    source: Type.Optional(SourceSchema),
    /** [lng, lat]: the place; its grid is found by point-in-polygon unless gridId is given. */
    location: Type.Optional(
      Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]),
    ),
    gridId: Type.Optional(Type.Integer({ minimum: 1 })),
    /** A description of the place (a street, a building) — not a person's home address. */
    place: Type.Optional(Text(200)),
    priority: Type.Optional(literals(['normal', 'urgent'] as const)),
    requester: Type.Optional(PartyInput),
    parties: Type.Optional(Type.Array(PartyInput, { maxItems: 10 })),
    /** Handle on the spot (当场办结): the reporter fixed it; the result is recorded as feedback. */
    onSpotResult: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CreateMatterBody = Static<typeof CreateMatterBody>;

// ---- transitions -------------------------------------------------------------------------------------
export const TransitionBody = Type.Object(
  {
    name: TransitionNameSchema,
    /** The version the caller saw; a stale one is 409. Optional: the state guard alone also protects. */
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    /** dispatch: a grid node below or at the dispatching level, or a department (or both: a department's unit in a grid). */
    assignee: Type.Optional(
      Type.Object(
        {
          gridId: Type.Optional(Type.Integer({ minimum: 1 })),
          departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
    result: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    rating: Type.Optional(RatingSchema),
    targetMatterId: Type.Optional(Type.Integer({ minimum: 1 })),
    extensionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 })),
    attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

// ---- read side ---------------------------------------------------------------------------------------
const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });
const Deadline = Type.Object({
  step: Type.Union([StepSchema, Type.Null()]),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  warnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: literals(['none', 'ok', 'warning', 'overdue', 'paused'] as const),
});

export const MatterSummary = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  type: MatterTypeSchema,
  category: Type.Object({ id: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() }),
  title: Type.String(),
  state: MatterStateSchema,
  flags: Type.Array(Type.String()),
  priority: Type.String(),
  source: SourceSchema,
  grid: Ref,
  owner: Ref,
  assignee: Type.Union([Ref, Type.Null()]),
  department: Type.Union([Ref, Type.Null()]),
  deadline: Deadline,
  problem: Type.Boolean(),
  openSupervisions: Type.Integer(),
  reworkCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type MatterSummary = Static<typeof MatterSummary>;

/**
 * The names of what an event points at, resolved by the server from the ids in `detail`: `grid` where the
 * matter went (dispatch: the assignee grid; escalate, pull_up, return: the new owner), `department` (a
 * dispatch to a department), `matter` (a merge target, only when the caller may read it). Organisational
 * names only, never a resident's data. The default lets an answer stored for `Idempotency-Key` before refs
 * existed be replayed (as `{}`).
 */
export const MatterEventRefs = Type.Object(
  {
    grid: Type.Optional(Type.Object({ id: Type.Integer(), name: Type.String(), level: GridLevelSchema })),
    department: Type.Optional(
      Type.Object({ id: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() }),
    ),
    matter: Type.Optional(Type.Object({ id: Type.Integer(), code: Type.String() })),
  },
  { default: {} },
);
export type MatterEventRefs = Static<typeof MatterEventRefs>;

export const MatterEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Union([Ref, Type.Null()]),
  action: Type.String(),
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  attachmentIds: Type.Array(Type.Integer()),
  refs: MatterEventRefs,
});
export type MatterEvent = Static<typeof MatterEvent>;

export const Supervision = Type.Object({
  id: Type.Integer(),
  matterId: Type.Integer(),
  issuer: Type.Union([Ref, Type.Null()]),
  issuerGrid: Ref,
  priority: literals(['normal', 'high', 'urgent'] as const),
  reason: Type.String(),
  deadline: Type.String({ format: 'date-time' }),
  state: literals(['open', 'replied', 'closed'] as const),
  reply: Type.Union([Type.String(), Type.Null()]),
  repliedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  automatic: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  abilities: Type.Object({ reply: Type.Boolean(), close: Type.Boolean() }),
});
export type Supervision = Static<typeof Supervision>;

export const Attachment = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  /**
   * A small WebP of an image (`GET /api/attachments/:id/thumbnail`); null for a PDF. The default lets a
   * response stored for `Idempotency-Key` before thumbnails existed be replayed (as null: show the file).
   */
  thumbnailUrl: Type.Union([Type.String(), Type.Null()], { default: null }),
});
export type Attachment = Static<typeof Attachment>;

export const MatterDetail = Type.Intersect([
  MatterSummary,
  Type.Object({
    description: Type.String(),
    place: Type.Union([Type.String(), Type.Null()]),
    location: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
    result: Type.Union([Type.String(), Type.Null()]),
    rating: Type.Union([RatingSchema, Type.Null()]),
    returnCount: Type.Integer(),
    unitsPassed: Type.Integer(),
    extensionDays: Type.Integer(),
    pausedReason: Type.Union([Type.String(), Type.Null()]),
    mergedInto: Type.Union([Type.Integer(), Type.Null()]),
    reporter: Type.Union([Ref, Type.Null()]),
    handler: Type.Union([Ref, Type.Null()]),
    verifier: Type.Union([Ref, Type.Null()]),
    /** Masked: `张*`, `138****5678`, `110***********1234`, addresses cut at community level. */
    parties: Type.Array(MaskedParty),
    events: Type.Array(MatterEvent),
    attachments: Type.Array(Attachment),
    supervisions: Type.Array(Supervision),
    version: Type.Integer(),
    /** What this caller may do now: transition names it may fire, and other actions. */
    abilities: Type.Object({
      transitions: Type.Array(TransitionNameSchema),
      unmask: Type.Boolean(),
      supervise: Type.Boolean(),
      attach: Type.Boolean(),
    }),
  }),
]);
export type MatterDetail = Static<typeof MatterDetail>;

export const MatterListQuery = Type.Object(
  {
    type: Type.Optional(MatterTypeSchema),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    state: Type.Optional(Type.Array(MatterStateSchema, { maxItems: 10 })),
    gridId: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    deadline: Type.Optional(literals(['warning', 'overdue'] as const)),
    supervised: Type.Optional(Type.Boolean()),
    problem: Type.Optional(Type.Boolean()),
    /** Matches the code and title only — never personal information. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** My to-do: matters waiting on the caller's level for this step. */
    todo: Type.Optional(literals(['accept', 'sign', 'handle', 'verify', 'overdue'] as const)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);
export type MatterListQuery = Static<typeof MatterListQuery>;

export const TodoCounts = Type.Object({
  accept: Type.Integer(),
  sign: Type.Integer(),
  handle: Type.Integer(),
  verify: Type.Integer(),
  overdue: Type.Integer(),
  warning: Type.Integer(),
  supervised: Type.Integer(),
});

export const UnmaskBody = Type.Object(
  {
    partyId: Type.Integer({ minimum: 1 }),
    field: literals(PERSONAL_FIELDS),
    reason: Type.String({ minLength: 4, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type UnmaskBody = Static<typeof UnmaskBody>;

export const SupervisionBody = Type.Object(
  {
    matterIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 200 }),
    priority: literals(['normal', 'high', 'urgent'] as const),
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    deadline: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type SupervisionBody = Static<typeof SupervisionBody>;

export const SupervisionReplyBody = Type.Object(
  { reply: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type SupervisionReplyBody = Static<typeof SupervisionReplyBody>;

/** Closing a supervision order: an optional closing remark (kept on the matter's event). */
export const SupervisionCloseBody = Type.Object(
  { note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) },
  { additionalProperties: false },
);
export type SupervisionCloseBody = Static<typeof SupervisionCloseBody>;

export const DuplicateQuery = Type.Object(
  {
    categoryId: Type.Integer({ minimum: 1 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
  },
  { additionalProperties: false },
);
