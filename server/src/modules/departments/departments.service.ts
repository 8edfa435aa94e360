import type { CreateDepartmentBody, UpdateDepartmentBody } from '@gridgov/common/schemas/departments';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { isUniqueViolation } from '../accounts/accounts.repository.ts';
import {
  type DepartmentRow,
  findDepartment,
  findDepartmentByCode,
  insertDepartment,
  listDepartments as listRows,
  updateDepartment as updateRow,
} from './departments.repository.ts';

const codeTaken = () =>
  new AppError('CONFLICT', 'The department code is already used', [
    { field: 'code', message: 'is already used' },
  ]);

/** Every department, active or not: a flat, global list (条), ordered by code. */
export function listDepartments(ctx: Ctx): Promise<DepartmentRow[]> {
  return listRows(ctx.db);
}

/** Creates a department; its code is unique and never changes. */
export async function createDepartment(ctx: Ctx, body: CreateDepartmentBody): Promise<DepartmentRow> {
  const input = { code: body.code, nameZh: body.nameZh.trim(), nameEn: body.nameEn.trim() };
  if (!input.nameZh) throw validationError([{ field: 'nameZh', message: 'is empty' }]);
  if (!input.nameEn) throw validationError([{ field: 'nameEn', message: 'is empty' }]);
  if (await findDepartmentByCode(ctx.db, input.code)) throw codeTaken();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await insertDepartment(trx, { ...input, now: ctx.clock.now() });
      await writeAudit(trx, ctx, {
        action: 'department.create',
        objectType: 'department',
        objectId: row.id,
        detail: { code: row.code },
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw codeTaken();
    throw error;
  }
}

/** Renames or (de)activates a department; an inactive one cannot be given to new accounts or assignments. */
export async function updateDepartment(
  ctx: Ctx,
  id: number,
  body: UpdateDepartmentBody,
): Promise<DepartmentRow> {
  const set: { name_zh?: string; name_en?: string; active?: boolean } = {};
  if (body.nameZh !== undefined) set.name_zh = body.nameZh.trim();
  if (body.nameEn !== undefined) set.name_en = body.nameEn.trim();
  if (body.active !== undefined) set.active = body.active;
  if (set.name_zh === '') throw validationError([{ field: 'nameZh', message: 'is empty' }]);
  if (set.name_en === '') throw validationError([{ field: 'nameEn', message: 'is empty' }]);
  if (!(await findDepartment(ctx.db, id))) throw new AppError('NOT_FOUND', 'No such department');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await updateRow(trx, id, set);
    if (!row) throw new AppError('NOT_FOUND', 'No such department');
    await writeAudit(trx, ctx, {
      action: 'department.update',
      objectType: 'department',
      objectId: id,
      detail: { fields: Object.keys(body), ...(body.active === undefined ? {} : { active: body.active }) },
    });
    return row;
  });
}

/** A department that a new account or assignment may reference: it exists and is active (else 400 on `field`). */
export async function requireActiveDepartment(ctx: Ctx, id: number, field: string): Promise<DepartmentRow> {
  const row = await findDepartment(ctx.db, id);
  if (!row) throw validationError([{ field, message: 'no such department' }]);
  if (!row.active) throw validationError([{ field, message: 'the department is inactive' }]);
  return row;
}
