import {
  addLimit,
  createWorkCalendar,
  type TimeLimit,
  type WorkCalendar,
  warningAt,
  workingWarningAt,
} from '@gridgov/common/time/workdays';
import type { MatterState } from '@gridgov/common/workflow/matter';
import type { Queryable } from '../../db/client.ts';

/** The timed steps of a matter and the state that starts each. */
export const MATTER_STEPS = ['accept', 'sign', 'handle', 'verify'] as const;
export type MatterStep = (typeof MATTER_STEPS)[number];
export type CategoryLimits = Partial<Record<MatterStep, TimeLimit>>;

/** Which step's clock runs in a state; null in states without a running limit. */
export function stepOf(state: MatterState): MatterStep | null {
  switch (state) {
    case 'reported':
    case 'accepted':
      return 'accept';
    case 'dispatched':
      return 'sign';
    case 'signed':
    case 'in_progress':
      return 'handle';
    case 'handled':
      return 'verify';
    default:
      return null;
  }
}

export interface StepPlan {
  step: MatterStep | null;
  step_started_at: Date | null;
  due_at: Date | null;
  warn_at: Date | null;
  warned: boolean;
  overdue: boolean;
}

/**
 * The deadline columns of a matter entering `state` at `now`, from the category's limits. The warning
 * falls at 80 % of the span, counted in working time for limits in working days.
 */
export function planStep(
  state: MatterState,
  limits: CategoryLimits | null,
  now: Date,
  cal: WorkCalendar,
): StepPlan {
  const step = stepOf(state);
  const limit = step ? limits?.[step] : undefined;
  if (!step || !limit)
    return {
      step,
      step_started_at: step ? now : null,
      due_at: null,
      warn_at: null,
      warned: false,
      overdue: false,
    };
  const due = addLimit(now, limit, cal);
  return {
    step,
    step_started_at: now,
    due_at: due,
    // A limit in working days warns at 80 % of its working time, never during a holiday.
    warn_at: limit.unit === 'workdays' ? workingWarningAt(now, due, cal) : warningAt(now, due),
    warned: false,
    overdue: false,
  };
}

let cached: { at: number; cal: WorkCalendar } | null = null;

/**
 * The working-day calendar: the package's official schedule with the deployment's yearly override
 * (`setting` key `holiday_overrides`: `{ holidays: [...], workdays: [...] }`), cached for a minute.
 */
export async function workCalendar(q: Queryable, now: Date): Promise<WorkCalendar> {
  if (cached && now.getTime() - cached.at < 60_000 && now.getTime() >= cached.at) return cached.cal;
  const row = await q
    .selectFrom('setting')
    .select('value')
    .where('key', '=', 'holiday_overrides')
    .executeTakeFirst();
  const overrides = (row?.value ?? {}) as { holidays?: string[]; workdays?: string[] };
  const cal = createWorkCalendar(overrides);
  cached = { at: now.getTime(), cal };
  return cal;
}

/** Forget the cached calendar (after the overrides change). */
export function resetWorkCalendar(): void {
  cached = null;
}
