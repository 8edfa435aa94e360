import type { Department } from '@gridgov/common/schemas/departments';
import { holdsPermission } from '../../lib/access.ts';
import type { Ctx } from '../../lib/context.ts';
import type { DepartmentRow } from './departments.repository.ts';

/** Departments are one global list: updating needs department.manage, wherever it is held. */
export function presentDepartment(ctx: Ctx, row: DepartmentRow): Department {
  return {
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    active: row.active,
    abilities: { update: holdsPermission(ctx, 'department.manage') },
  };
}
