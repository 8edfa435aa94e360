import type { GridLevel } from '@gridgov/common/schemas/grids';
import type { MatterEventRefs } from '@gridgov/common/schemas/matters';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../lib/context.ts';
import { readableMatterCodes, unitNames } from './matters.repository.ts';

/** The ids an event points at. */
export interface EventTargets {
  gridId?: number;
  departmentId?: number;
  matterId?: number;
}

type Detail = Record<string, unknown> | null;

const idOf = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);
const field = (v: unknown, key: string) =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;

/**
 * Where an event sent the matter, read from the detail the workflow writes (matters.service.ts
 * `changesFor` and `problemMatter`): dispatch `assignee {gridId, departmentId}`; escalate, pull_up and
 * return `owner {from, to}` (the system's escalations too); merge `targetMatterId`. Pure.
 */
export function eventTargets(action: string, detail: Detail): EventTargets {
  switch (action) {
    case 'dispatch':
      return {
        gridId: idOf(field(detail?.assignee, 'gridId')),
        departmentId: idOf(field(detail?.assignee, 'departmentId')),
      };
    case 'escalate':
    case 'pull_up':
    case 'return':
      return { gridId: idOf(field(detail?.owner, 'to')) };
    case 'merge':
      return { matterId: idOf(detail?.targetMatterId) };
    default:
      return {};
  }
}

/**
 * The names every event of a matter needs, in at most two statements for the whole history: grids and
 * departments together, then the merge targets the caller may read (a target outside the read scope is
 * left out, so its code does not leak). Returns the refs of one event from its action and detail.
 */
export async function loadEventRefs(
  q: Queryable,
  ctx: Ctx,
  events: readonly { action: string; detail: Detail }[],
): Promise<(action: string, detail: Detail) => MatterEventRefs> {
  const targets = events.map((e) => eventTargets(e.action, e.detail));
  const ids = (key: keyof EventTargets) => [
    ...new Set(targets.map((t) => t[key]).filter((id): id is number => id !== undefined)),
  ];
  const units = await unitNames(q, ids('gridId'), ids('departmentId'));
  const matters = await readableMatterCodes(q, ctx, ids('matterId'));
  const grids = new Map<number, NonNullable<MatterEventRefs['grid']>>();
  const departments = new Map<number, NonNullable<MatterEventRefs['department']>>();
  for (const u of units) {
    if (u.kind === 'grid') grids.set(u.id, { id: u.id, name: u.name_zh, level: u.level as GridLevel });
    else departments.set(u.id, { id: u.id, nameZh: u.name_zh, nameEn: u.name_en ?? '' });
  }
  const codes = new Map(matters.map((m) => [m.id, { id: m.id, code: m.code }]));
  return (action, detail) => {
    const t = eventTargets(action, detail);
    const refs: MatterEventRefs = {};
    const grid = t.gridId === undefined ? undefined : grids.get(t.gridId);
    const department = t.departmentId === undefined ? undefined : departments.get(t.departmentId);
    const matter = t.matterId === undefined ? undefined : codes.get(t.matterId);
    if (grid) refs.grid = grid;
    if (department) refs.department = department;
    if (matter) refs.matter = matter;
    return refs;
  };
}
