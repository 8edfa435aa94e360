import type { Category, UpdateCategoryBody } from '@gridgov/common/schemas/matters';
import { PETITION_LIMITS, type TimeLimit } from '@gridgov/common/time/workdays';
import type { CategoryRow } from '../../db/schema/types.ts';
import { holdsPermission } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { MATTER_STEPS } from '../matters/deadlines.ts';
import { presentCategory } from './categories.presenter.ts';
import {
  type CategoryChanges,
  departmentCodeExists,
  findCategory,
  listCategories as listRows,
  updateCategory as updateRow,
} from './categories.repository.ts';

/** Fields that only leaves carry; a group (a row without a parent) is just a name and a switch. */
const LEAF_ONLY = [
  'defaultLevel',
  'defaultDepartmentCode',
  'limits',
  'requiredFields',
  'personalFields',
] as const;

/** The longest limit a category may set for one step, per unit: beyond these a deadline means nothing. */
const MAX_AMOUNT: Record<TimeLimit['unit'], number> = {
  minutes: 7 * 24 * 60,
  hours: 90 * 24,
  days: 366,
  workdays: 250,
};

/** A limit in days, a working day counting as one day (for comparing with the statutory limits). */
function inDays(limit: TimeLimit): number {
  switch (limit.unit) {
    case 'minutes':
      return limit.amount / (24 * 60);
    case 'hours':
      return limit.amount / 24;
    default:
      return limit.amount;
  }
}

function checkLimits(limits: NonNullable<UpdateCategoryBody['limits']>, petition: boolean): void {
  for (const step of MATTER_STEPS) {
    const limit = limits[step] as TimeLimit;
    if (limit.amount > MAX_AMOUNT[limit.unit]) {
      throw validationError([
        {
          field: `body.limits.${step}.amount`,
          message: `must be at most ${MAX_AMOUNT[limit.unit]} ${limit.unit}`,
        },
      ]);
    }
  }
  if (!petition) return;
  const statutory = { accept: PETITION_LIMITS.acceptance, handle: PETITION_LIMITS.handling } as const;
  for (const step of ['accept', 'handle'] as const) {
    if (inDays(limits[step] as TimeLimit) > statutory[step].amount) {
      throw validationError([
        {
          field: `body.limits.${step}`,
          message: `letters and visits allow at most ${statutory[step].amount} days for this step`,
        },
      ]);
    }
  }
}

/** The whole taxonomy, groups before their leaves; inactive categories included (the client filters). */
export async function listCategories(ctx: Ctx): Promise<Category[]> {
  return (await listRows(ctx.db)).map(presentCategory);
}

/**
 * Changes a category's names, routing, limits, fields or switch. Categories are deployment-wide:
 * `category.manage` held anywhere suffices. Groups take only names and `active`.
 */
export async function updateCategory(ctx: Ctx, id: number, body: UpdateCategoryBody): Promise<Category> {
  if (!holdsPermission(ctx, 'category.manage'))
    throw new AppError('FORBIDDEN', undefined, undefined, { denial: true });
  const row = await findCategory(ctx.db, id);
  if (!row) throw new AppError('NOT_FOUND', 'No such category');
  const set = await changesOf(ctx, row, body);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const saved = await updateRow(trx, id, set, ctx.clock.now());
    await writeAudit(trx, ctx, {
      action: 'category.update',
      objectType: 'category',
      objectId: id,
      detail: { code: row.code, fields: Object.keys(body), changes: body },
    });
    return saved;
  });
  return presentCategory(updated);
}

async function changesOf(ctx: Ctx, row: CategoryRow, body: UpdateCategoryBody): Promise<CategoryChanges> {
  if (row.parent_id === null) {
    const leafOnly = LEAF_ONLY.find((f) => body[f] !== undefined);
    if (leafOnly)
      throw validationError([{ field: `body.${leafOnly}`, message: 'applies to leaf categories only' }]);
  }
  const set: CategoryChanges = {};
  if (body.nameZh !== undefined) set.name_zh = body.nameZh.trim();
  if (body.nameEn !== undefined) set.name_en = body.nameEn.trim();
  if (set.name_zh === '') throw validationError([{ field: 'body.nameZh', message: 'is empty' }]);
  if (set.name_en === '') throw validationError([{ field: 'body.nameEn', message: 'is empty' }]);
  if (body.defaultLevel !== undefined) set.default_level = body.defaultLevel;
  if (body.defaultDepartmentCode !== undefined) {
    const code = body.defaultDepartmentCode;
    if (code !== null && !(await departmentCodeExists(ctx.db, code))) {
      throw validationError([
        { field: 'body.defaultDepartmentCode', message: 'no department has this code' },
      ]);
    }
    set.default_department_code = code;
  }
  if (body.limits !== undefined) {
    checkLimits(body.limits, row.petition);
    set.limits = JSON.stringify(body.limits);
  }
  if (body.requiredFields !== undefined) set.required_fields = [...new Set(body.requiredFields)];
  if (body.personalFields !== undefined) set.personal_fields = [...new Set(body.personalFields)];
  if (body.active !== undefined) set.active = body.active;
  return set;
}
