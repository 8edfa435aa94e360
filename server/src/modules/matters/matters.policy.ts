import type { Permission } from '@gridgov/common/permissions';
import {
  canFire,
  flagsAllow,
  MATTER_TRANSITION_NAMES,
  MATTER_TRANSITIONS,
  type MatterFlag,
  type MatterRating,
  type MatterState,
  type MatterTransitionName,
  reopenAllowed,
  verifierAllowed,
} from '@gridgov/common/workflow/matter';
import type { MatterRow } from '../../db/schema/types.ts';
import { canAccess } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';
import { supervisingPath } from '../supervision/supervision.policy.ts';

/**
 * Who may fire which transition of a matter now (docs/matters.md, "Who may fire what"): pure functions
 * over the row, its category's petition switch and the caller's grants. The service turns a conflict
 * into 409 and a denial into 403; the presenter lists what is allowed as `abilities.transitions`.
 */
export type MatterFacts = Pick<
  MatterRow,
  | 'state'
  | 'flags'
  | 'grid_path'
  | 'owner_path'
  | 'assignee_path'
  | 'department_id'
  | 'reporter_id'
  | 'handler_id'
  | 'rating'
  | 'rated_at'
  | 'extension_days'
> & { petition: boolean };

/** '/1/7/23/' → '/1/7/'; a root has no parent. */
export function parentPath(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 1 ? `/${parts.slice(0, -1).join('/')}/` : null;
}

/** Why the transition cannot fire in the matter's current state (409), or null. */
export function transitionConflict(m: MatterFacts, name: MatterTransitionName): string | null {
  const state = m.state as MatterState;
  if (!canFire(name, state)) return `${name} cannot follow ${state}`;
  if (!flagsAllow(name, m.flags as MatterFlag[]))
    return `${name} is not possible with flags [${m.flags.join(', ')}]`;
  if (name === 'escalate' && parentPath(m.owner_path) === null)
    return 'the matter is at the top level already';
  if (m.petition && m.extension_days > 0 && (name === 'request_extension' || name === 'approve_extension')) {
    return 'letters and visits allow one extension only';
  }
  return null;
}

const holds = (ctx: Ctx, perm: Permission, path: string | null, m: MatterFacts) =>
  path !== null && canAccess(ctx, perm, path, m.department_id);

/**
 * On the assignee's side, a matter dispatched to a department is the department's: only a grant for that
 * department acts on it (the town centre that dispatched it does not sign or handle it in its place).
 */
const holdsAsAssignee = (ctx: Ctx, perm: Permission, path: string | null, m: MatterFacts) => {
  if (path === null) return false;
  if (m.department_id === null) return canAccess(ctx, perm, path);
  return (ctx.actor?.grants.get(perm) ?? []).some(
    (g) => g.departmentId === m.department_id && path.startsWith(g.path),
  );
};

/** Transitions fired by the unit the matter is assigned to. */
const ASSIGNEE_SIDE = new Set<MatterTransitionName>([
  'sign',
  'return',
  'start',
  'progress_note',
  'request_extension',
  'pause',
  'resume',
  'handle',
  'escalate',
]);

/** The path whose holders act on the matter for this transition (see the table in docs/matters.md). */
function actingPath(m: MatterFacts, name: MatterTransitionName): string | null {
  switch (name) {
    case 'accept':
    case 'reject':
    case 'merge':
    case 'dispatch':
    case 'self_handle':
    case 'approve_extension':
    case 'deny_extension':
      return m.owner_path;
    case 'escalate':
      return m.state === 'reported' || m.state === 'accepted' ? m.owner_path : m.assignee_path;
    case 'handle_on_spot':
    case 'verify_pass':
    case 'verify_fail':
    case 'rate':
    case 'reopen':
      return m.grid_path;
    case 'pull_up':
      return null;
    default:
      return m.assignee_path;
  }
}

/**
 * Why the caller may not fire the transition (403), or null. Assumes the matter is readable and the
 * transition possible in its state; the system actor is never asked.
 */
export function transitionDenial(
  ctx: Ctx,
  m: MatterFacts,
  name: MatterTransitionName,
  now: Date,
): string | null {
  const t = MATTER_TRANSITIONS[name];
  const me = ctx.actor?.id;
  if (me === undefined) return 'sign in first';
  if (name === 'pull_up') {
    return supervisingPath(ctx, m) === null ? `${t.permission} is needed above the owning level` : null;
  }
  const path = actingPath(m, name);
  const onAssigneeSide =
    ASSIGNEE_SIDE.has(name) && !(name === 'escalate' && (m.state === 'reported' || m.state === 'accepted'));
  const allowed = onAssigneeSide
    ? holdsAsAssignee(ctx, t.permission, path, m)
    : holds(ctx, t.permission, path, m);
  if (!allowed) return `${t.permission} is needed over this matter`;
  if (name === 'handle_on_spot' && m.reporter_id !== me)
    return 'only the reporter handles a matter on the spot';
  if (
    (name === 'verify_pass' || name === 'verify_fail') &&
    !verifierAllowed({ handlerId: String(m.handler_id ?? ''), verifierId: String(me) })
  ) {
    return 'the handler cannot verify their own work';
  }
  if (name === 'reopen') {
    const ok =
      m.rating !== null &&
      m.rated_at !== null &&
      reopenAllowed({ rating: m.rating as MatterRating, ratedAt: new Date(m.rated_at), now });
    if (!ok) return 'only an unsatisfied rating can be reopened, within 7 days';
  }
  return null;
}

/** The transitions the caller may fire now (inputs aside), in table order. */
export function allowedTransitions(ctx: Ctx, m: MatterFacts, now: Date): MatterTransitionName[] {
  return MATTER_TRANSITION_NAMES.filter(
    (name) => transitionConflict(m, name) === null && transitionDenial(ctx, m, name, now) === null,
  );
}

/** Unmasking is for the handling staff: `matter.unmask` over the owner or the assignee. */
export function mayUnmask(ctx: Ctx, m: MatterFacts): boolean {
  return holds(ctx, 'matter.unmask', m.owner_path, m) || holds(ctx, 'matter.unmask', m.assignee_path, m);
}

/** Supervision (督办) comes from strictly above the owning level. */
export function maySupervise(ctx: Ctx, m: MatterFacts): boolean {
  return supervisingPath(ctx, m) !== null;
}
