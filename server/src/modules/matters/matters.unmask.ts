import type { PersonalField, UnmaskBody } from '@gridgov/common/schemas/matters';
import { canAccess } from '../../lib/access.ts';
import { AppError, validationError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { requireMatterRead } from './matters.scope.ts';

/** The handling staff: `matter.unmask` over the owner or the assignee (department grants: its department). */
function mayUnmask(
  ctx: Ctx,
  m: { owner_path: string; assignee_path: string | null; department_id: number | null },
): boolean {
  return [m.owner_path, m.assignee_path].some(
    (p) => p !== null && canAccess(ctx, 'matter.unmask', p, m.department_id),
  );
}

/**
 * Reveals one personal value of one party of a matter (docs/matters.md, "Personal information"):
 * 404 outside read scope; 403 unless the caller handles the matter; 400 naming the field when the party
 * is not the matter's, the category does not collect the field, or it is empty. The audit row — with the
 * typed reason and the field's name, never the value — commits in the same transaction that reads it.
 */
export async function unmaskParty(ctx: Ctx, matterId: number, body: UnmaskBody): Promise<{ value: string }> {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('matter')
      .innerJoin('category', 'category.id', 'matter.category_id')
      .select([
        'matter.id',
        'matter.grid_path',
        'matter.owner_path',
        'matter.assignee_path',
        'matter.department_id',
        'category.personal_fields',
      ])
      .where('matter.id', '=', matterId)
      .executeTakeFirst();
    if (!m) throw new AppError('NOT_FOUND', 'No such matter');
    requireMatterRead(ctx, m);
    if (!mayUnmask(ctx, m)) {
      throw new AppError('FORBIDDEN', undefined, { permission: 'matter.unmask' }, { denial: true });
    }
    const field = body.field as PersonalField;
    const party = await trx
      .selectFrom('matter_party')
      .select(['id', field])
      .where('id', '=', body.partyId)
      .where('matter_id', '=', m.id)
      .executeTakeFirst();
    if (!party) throw validationError([{ field: 'body.partyId', message: 'is not a party of this matter' }]);
    if (!m.personal_fields.includes(field)) {
      throw validationError([{ field: 'body.field', message: 'is not collected for this category' }]);
    }
    const value = (party as Partial<Record<PersonalField, string | null>>)[field];
    if (value === null || value === undefined || value.trim() === '') {
      throw validationError([{ field: 'body.field', message: 'has no value' }]);
    }
    await writeAudit(trx, ctx, {
      action: 'matter.unmask',
      objectType: 'matter',
      objectId: m.id,
      objectPath: m.grid_path,
      reason: body.reason,
      detail: { partyId: party.id, field },
    });
    return { value };
  });
}
