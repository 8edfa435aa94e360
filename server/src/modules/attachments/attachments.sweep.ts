import { HOUR } from '../../lib/clock.ts';
import type { Ctx } from '../../lib/context.ts';
import { type FileStorage, originalKeyOf } from '../../lib/storage.ts';
import { findStorageKeys } from './attachments.repository.ts';

/** Files younger than this are never removed: their upload may still be on its way to the database. */
export const ORPHAN_MIN_AGE = HOUR;
/** How many keys are looked up in one query. */
const BATCH = 500;

export interface OrphanSweepOptions {
  minAge?: number;
  /**
   * The sweep removes nothing when more than this many files — and more than half of the old ones — look
   * orphaned: that is what a data folder opened against the wrong (or an empty) database looks like,
   * not what crashed uploads leave behind.
   */
  maxOrphans?: number;
}

export interface OrphanSweepResult {
  /** Files listed. */
  files: number;
  /** Too young to judge. */
  young: number;
  /** Old files whose attachment row exists (originals and their thumbnails). */
  kept: number;
  /** Old files without a row, and leftovers of interrupted writes. */
  orphans: number;
  removed: number;
  /** True when the orphans looked like a wrong database and were left alone. */
  refused: boolean;
}

/**
 * Removes stored files that no attachment row names — an original, or a thumbnail whose original has no
 * row — once they are older than `minAge`, and leftovers of interrupted writes of that age. This cleans
 * up after a crash between writing an upload's files and committing its row. One pass over the storage
 * listing plus one indexed lookup per {@link BATCH} old files, so the work follows the number of files
 * stored; young files are never looked up, and a file whose row exists is never removed.
 */
export async function sweepOrphanFiles(
  ctx: Ctx,
  storage: FileStorage,
  opts: OrphanSweepOptions = {},
): Promise<OrphanSweepResult> {
  const cutoff = ctx.clock.now().getTime() - (opts.minAge ?? ORPHAN_MIN_AGE);
  const maxOrphans = opts.maxOrphans ?? 100;
  const result: OrphanSweepResult = { files: 0, young: 0, kept: 0, orphans: 0, removed: 0, refused: false };
  const orphans: string[] = [];
  let batch: string[] = [];
  const judge = async () => {
    const rows = await findStorageKeys(ctx.db, [...new Set(batch.map(originalKeyOf))]);
    for (const key of batch) {
      if (rows.has(originalKeyOf(key))) result.kept++;
      else orphans.push(key);
    }
    batch = [];
  };

  for await (const file of storage.list()) {
    result.files++;
    if (file.modifiedAt.getTime() > cutoff) result.young++;
    else if (file.partial) orphans.push(file.key);
    else {
      batch.push(file.key);
      if (batch.length >= BATCH) await judge();
    }
  }
  await judge();

  result.orphans = orphans.length;
  if (orphans.length > maxOrphans && orphans.length > result.kept) {
    result.refused = true;
    return result;
  }
  for (const key of orphans) {
    await storage.remove(key);
    result.removed++;
  }
  return result;
}
