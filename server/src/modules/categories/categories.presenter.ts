import type { Category, PersonalField } from '@gridgov/common/schemas/matters';
import type { MatterType } from '@gridgov/common/workflow/matter';
import type { CategoryRow } from '../../db/schema/types.ts';

export function presentCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    matterType: row.matter_type as MatterType | null,
    defaultLevel: row.default_level,
    defaultDepartmentCode: row.default_department_code,
    limits: (row.limits as Category['limits']) ?? null,
    requiredFields: row.required_fields as Category['requiredFields'],
    personalFields: row.personal_fields as PersonalField[],
    petition: row.petition,
    active: row.active,
  };
}
