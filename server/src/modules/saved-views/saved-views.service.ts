import {
  type CreateSavedViewBody,
  SAVED_VIEWS_MAX,
  type SavedView,
} from '@gridgov/common/schemas/saved-views';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/context.ts';
import { checkFilters } from '../matters/matters.list.ts';
import { presentView } from './saved-views.presenter.ts';
import { countViews, deleteView, insertView, listViews, lockAccount } from './saved-views.repository.ts';

function requireActor(ctx: Ctx) {
  if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
  return ctx.actor;
}

/** The caller's own saved views of the matter list. */
export async function listSavedViews(ctx: Ctx): Promise<SavedView[]> {
  const actor = requireActor(ctx);
  return (await listViews(ctx.db, actor.id)).map(presentView);
}

/**
 * Saves a named set of list filters for the caller: at most {@link SAVED_VIEWS_MAX} per account (409),
 * names unique per account (409). The filters are checked like the list's own (dates, range).
 */
export async function createSavedView(ctx: Ctx, body: CreateSavedViewBody): Promise<SavedView> {
  const actor = requireActor(ctx);
  checkFilters(body.filters, 'body.filters');
  return ctx.db.transaction().execute(async (trx) => {
    await lockAccount(trx, actor.id);
    if ((await countViews(trx, actor.id)) >= SAVED_VIEWS_MAX) {
      throw new AppError('CONFLICT', `At most ${SAVED_VIEWS_MAX} saved views per account`, {
        limit: SAVED_VIEWS_MAX,
      });
    }
    const row = await insertView(trx, {
      accountId: actor.id,
      name: body.name,
      filters: body.filters,
      createdAt: ctx.clock.now(),
    });
    if (!row) throw new AppError('CONFLICT', 'A saved view of that name exists', { field: 'body.name' });
    return presentView(row);
  });
}

/** Deletes one of the caller's own views; another account's view is not found (404). */
export async function deleteSavedView(ctx: Ctx, id: number): Promise<{ ok: true }> {
  const actor = requireActor(ctx);
  if (!(await deleteView(ctx.db, actor.id, id))) throw new AppError('NOT_FOUND', 'No such saved view');
  return { ok: true };
}
