import type { Permission } from '@gridgov/common/permissions';
import type { MatterListQuery, MatterSummary } from '@gridgov/common/schemas/matters';
import { MATTER_FILTER_NAMES, type MatterFilters } from '@gridgov/common/schemas/saved-views';
import { type MatterState, OPEN_STATES } from '@gridgov/common/workflow/matter';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Queryable } from '../../db/client.ts';
import { canAccess, escapeLike } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';
import { matterScopeWhere } from './matters.scope.ts';
import { type MatterSummaryRow, presentSummary, selectMatterSummaries } from './matters.summary.ts';

type Pred = RawBuilder<SqlBool>;
export const TODO_KINDS = ['accept', 'sign', 'handle', 'verify', 'overdue'] as const;
export type Todo = (typeof TODO_KINDS)[number];

const col = (c: string) => sql.ref(`matter.${c}`);
const and = (parts: Pred[]): Pred =>
  parts.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
const or = (parts: Pred[]): Pred =>
  parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
const stateIn = (states: readonly MatterState[]): Pred =>
  sql<SqlBool>`${col('state')} IN (${sql.join([...states])})`;

function requireActor(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** Deadline status `overdue` as {@link presentSummary} computes it: the sweeper's flag, or a due time passed. */
export function overdueAt(now: Date): Pred {
  return sql<SqlBool>`(${col('paused_at')} IS NULL AND (${col('overdue')} OR COALESCE(${col('due_at')} <= ${now}, false)))`;
}

/** Deadline status `warning`: warned (or past the warning time) and not yet overdue. */
export function warningAt(now: Date): Pred {
  return sql<SqlBool>`(${col('paused_at')} IS NULL AND NOT (${col('overdue')} OR COALESCE(${col('due_at')} <= ${now}, false)) AND (${col('warned')} OR COALESCE(${col('warn_at')} <= ${now}, false)))`;
}

/**
 * A matter held by the caller's own level for `perm`: `column` equals a grant's node exactly (a town
 * centre waits on what the town holds, not on everything below it). A department grant waits on the
 * matters assigned to its department inside its subtree; a plain grant never waits on a department's matter.
 */
function atCallersLevel(ctx: Ctx, perm: Permission, column: string): Pred {
  const grants = ctx.actor?.grants.get(perm) ?? [];
  return or(
    grants.map((g) =>
      g.departmentId === null
        ? sql<SqlBool>`(${col(column)} = ${g.path} AND ${col('department_id')} IS NULL)`
        : sql<SqlBool>`(${col('department_id')} = ${g.departmentId} AND ${col('grid_path')} LIKE ${`${escapeLike(g.path)}%`})`,
    ),
  );
}

/**
 * Verification waits on the level that owns the matter, and on village-level (and lower) staff over the
 * place — the community checks what was done in it. Never on the handler.
 */
function verifyWaits(ctx: Ctx): Pred {
  const grants = (ctx.actor?.grants.get('matter.verify') ?? []).filter((g) => g.departmentId === null);
  return or(
    grants.map(
      (
        g,
      ) => sql<SqlBool>`(${col('owner_path')} = ${g.path} OR (${col('grid_path')} LIKE ${`${escapeLike(g.path)}%`}
        AND EXISTS (SELECT 1 FROM grid vg WHERE vg.path = ${g.path} AND vg.depth >= 3)))`,
    ),
  );
}

/**
 * "Waiting on the caller" for one step (docs/matters.md, "Who may fire what"), at the caller's own level:
 * accept by the owner level, sign and handle by the assignee (or its department), verify as above.
 */
export function todoWhere(ctx: Ctx, todo: Todo, now: Date): Pred {
  switch (todo) {
    case 'accept':
      return and([stateIn(['reported', 'accepted']), atCallersLevel(ctx, 'matter.accept', 'owner_path')]);
    case 'sign':
      return and([stateIn(['dispatched']), atCallersLevel(ctx, 'matter.sign', 'assignee_path')]);
    case 'handle':
      return and([stateIn(['signed', 'in_progress']), atCallersLevel(ctx, 'matter.handle', 'assignee_path')]);
    case 'verify':
      return and([
        stateIn(['handled']),
        verifyWaits(ctx),
        sql<SqlBool>`${col('handler_id')} IS DISTINCT FROM ${ctx.actor?.id ?? null}`,
      ]);
    case 'overdue':
      return and([stateIn(OPEN_STATES), anyTodo(ctx, now), overdueAt(now)]);
  }
}

/** Waiting on the caller at any step. */
export function anyTodo(ctx: Ctx, now: Date): Pred {
  return or((['accept', 'sign', 'handle', 'verify'] as const).map((t) => todoWhere(ctx, t, now)));
}

/** A category and, when it is a group, its children (the taxonomy has two levels). */
function categoryWhere(categoryId: number): Pred {
  return sql<SqlBool>`${col('category_id')} IN (SELECT c.id FROM category c WHERE c.id = ${categoryId} OR c.parent_id = ${categoryId})`;
}

/** Dates the schema lets through but JavaScript cannot place, and a reversed range: 400 naming the field. */
export function checkFilters(filters: MatterFilters, prefix = 'querystring'): void {
  for (const field of ['from', 'to'] as const) {
    const value = filters[field];
    if (value !== undefined && Number.isNaN(new Date(value).getTime())) {
      throw validationError([{ field: `${prefix}.${field}`, message: 'is not a usable date-time' }]);
    }
  }
  if (filters.from && filters.to && new Date(filters.from) > new Date(filters.to)) {
    throw validationError([{ field: `${prefix}.to`, message: 'must not be before from' }]);
  }
}

/** The path of the `gridId` filter's grid; 404 unless the caller can see that grid. */
async function gridFilterPath(ctx: Ctx, gridId: number | undefined): Promise<string | null> {
  if (gridId === undefined) return null;
  const grid = await ctx.db.selectFrom('grid').select('path').where('id', '=', gridId).executeTakeFirst();
  if (!grid || !(canAccess(ctx, 'grid.read', grid.path) || canAccess(ctx, 'matter.read', grid.path))) {
    throw new AppError('NOT_FOUND', 'No such grid', undefined, { denial: true });
  }
  return grid.path;
}

/**
 * The filters as one predicate. `q` matches the code (prefix) and the title (substring) only — personal
 * information lives in `matter_party` and is never searched.
 */
function filterWhere(ctx: Ctx, f: MatterFilters, gridPath: string | null, now: Date): Pred {
  const parts: Pred[] = [];
  if (f.type) parts.push(sql<SqlBool>`${col('type')} = ${f.type}`);
  if (f.categoryId !== undefined) parts.push(categoryWhere(f.categoryId));
  if (f.state?.length) parts.push(stateIn(f.state as MatterState[]));
  if (gridPath !== null) parts.push(sql<SqlBool>`${col('grid_path')} LIKE ${`${escapeLike(gridPath)}%`}`);
  if (f.from) parts.push(sql<SqlBool>`${col('created_at')} >= ${new Date(f.from)}`);
  if (f.to) parts.push(sql<SqlBool>`${col('created_at')} < ${new Date(f.to)}`);
  if (f.deadline === 'overdue') parts.push(overdueAt(now));
  if (f.deadline === 'warning') parts.push(warningAt(now));
  if (f.supervised !== undefined) {
    parts.push(
      f.supervised
        ? sql<SqlBool>`${col('open_supervisions')} > 0`
        : sql<SqlBool>`${col('open_supervisions')} = 0`,
    );
  }
  if (f.problem !== undefined) parts.push(sql<SqlBool>`${col('problem')} = ${f.problem}`);
  if (f.q) {
    const q = escapeLike(f.q);
    parts.push(sql<SqlBool>`(${col('code')} ILIKE ${`${q}%`} OR ${col('title')} ILIKE ${`%${q}%`})`);
  }
  if (f.todo) parts.push(todoWhere(ctx, f.todo as Todo, now));
  return and(parts);
}

/**
 * The matters matching `filters` within the caller's read scope (and, for an export, the export scope):
 * validates the filters, resolves the grid filter (404 when the caller cannot see the grid) and returns
 * the predicate to put on a `matter` query.
 */
export async function matterListWhere(
  ctx: Ctx,
  filters: MatterFilters,
  scopes: readonly ('matter.read' | 'matter.export')[] = ['matter.read'],
): Promise<Pred> {
  requireActor(ctx);
  checkFilters(filters);
  const gridPath = await gridFilterPath(ctx, filters.gridId);
  const now = ctx.clock.now();
  return and([...scopes.map((p) => matterScopeWhere(ctx, p)), filterWhere(ctx, filters, gridPath, now)]);
}

/** Newest first; ties by id so that pages are stable. */
export function selectMatching(q: Queryable, where: Pred) {
  return selectMatterSummaries(q)
    .where(where)
    .orderBy('matter.created_at', 'desc')
    .orderBy('matter.id', 'desc');
}

export async function countMatching(q: Queryable, where: Pred): Promise<number> {
  const row = await q
    .selectFrom('matter')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The names of the filters in use — never their values, which may be typed by a person. */
export function filterNames(filters: MatterFilters): string[] {
  return MATTER_FILTER_NAMES.filter((k) => {
    const v = filters[k];
    return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
  });
}

/** Searches the matters the caller may read, newest first, with the total for paging. */
export async function listMatters(
  ctx: Ctx,
  query: MatterListQuery,
): Promise<{ items: MatterSummary[]; total: number }> {
  const { limit = 50, offset = 0, ...filters } = query;
  const where = await matterListWhere(ctx, filters);
  const [rows, total] = await Promise.all([
    selectMatching(ctx.db, where).limit(limit).offset(offset).execute(),
    countMatching(ctx.db, where),
  ]);
  const now = ctx.clock.now();
  return { items: rows.map((r) => presentSummary(r, now)), total };
}

/** The caller's to-do badges: the same predicates as `todo=…`, counted in one pass within read scope. */
export async function todoCounts(ctx: Ctx) {
  requireActor(ctx);
  const now = ctx.clock.now();
  const count = (p: Pred) => sql<string>`count(*) FILTER (WHERE ${p})`;
  const mine = anyTodo(ctx, now);
  const row = await ctx.db
    .selectFrom('matter')
    .select([
      count(todoWhere(ctx, 'accept', now)).as('accept'),
      count(todoWhere(ctx, 'sign', now)).as('sign'),
      count(todoWhere(ctx, 'handle', now)).as('handle'),
      count(todoWhere(ctx, 'verify', now)).as('verify'),
      count(todoWhere(ctx, 'overdue', now)).as('overdue'),
      count(and([mine, stateIn(OPEN_STATES), warningAt(now)])).as('warning'),
      count(and([mine, stateIn(OPEN_STATES), sql<SqlBool>`${col('open_supervisions')} > 0`])).as(
        'supervised',
      ),
    ])
    .where(and([matterScopeWhere(ctx, 'matter.read'), stateIn(OPEN_STATES)]))
    .executeTakeFirstOrThrow();
  return {
    accept: Number(row.accept),
    sign: Number(row.sign),
    handle: Number(row.handle),
    verify: Number(row.verify),
    overdue: Number(row.overdue),
    warning: Number(row.warning),
    supervised: Number(row.supervised),
  };
}

export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_MS = 7 * 24 * 3_600_000;
const DUPLICATE_MAX = 20;
const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two [lng, lat] points. */
export function haversineMetres(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box around the point that holds every point within `metres` (longitude widened by latitude). */
function boundingBox(lng: number, lat: number, metres: number) {
  const dLat = (metres / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(rad(lat)), 0.01);
  return { minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat };
}

/**
 * Possible duplicates of a new report: open matters of the same category (a group includes its children)
 * within {@link DUPLICATE_RADIUS_M} of the point, created in the last 7 days, in the caller's read scope,
 * nearest first. By matter only — never by who reported it.
 */
export async function findDuplicates(
  ctx: Ctx,
  query: { categoryId: number; lng: number; lat: number },
): Promise<MatterSummary[]> {
  requireActor(ctx);
  const now = ctx.clock.now();
  const box = boundingBox(query.lng, query.lat, DUPLICATE_RADIUS_M);
  const rows = await selectMatterSummaries(ctx.db)
    .select(['matter.lng', 'matter.lat'])
    .where(
      and([
        matterScopeWhere(ctx, 'matter.read'),
        categoryWhere(query.categoryId),
        stateIn(OPEN_STATES),
        sql<SqlBool>`${col('created_at')} >= ${new Date(now.getTime() - DUPLICATE_WINDOW_MS)}`,
        sql<SqlBool>`${col('lng')} BETWEEN ${box.minLng} AND ${box.maxLng}`,
        sql<SqlBool>`${col('lat')} BETWEEN ${box.minLat} AND ${box.maxLat}`,
      ]),
    )
    .limit(500)
    .execute();
  return rows
    .map((r) => ({ r, d: haversineMetres(query.lng, query.lat, r.lng ?? 0, r.lat ?? 0) }))
    .filter((x) => x.d <= DUPLICATE_RADIUS_M)
    .sort((a, b) => a.d - b.d || b.r.id - a.r.id)
    .slice(0, DUPLICATE_MAX)
    .map((x) => presentSummary(x.r as MatterSummaryRow, now));
}
