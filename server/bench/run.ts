/**
 * `npm run bench`: each measurement is printed as a ratio against a baseline measured in the same run,
 * so that a shared, noisy machine changes both sides alike. Nothing here asserts a time.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { sql } from 'kysely';
import { testConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { writeAudit } from '../src/lib/audit.ts';
import { FakeClock, systemClock } from '../src/lib/clock.ts';
import { systemContext } from '../src/lib/context.ts';
import { loadRegion } from '../src/modules/grids/geo/division.ts';
import { PointIndex } from '../src/modules/grids/geo/point-index.ts';
import { type LaidOutNode, layoutRegion } from '../src/modules/grids/geo/synthetic.ts';
import { insertGrid } from '../src/modules/grids/grids.repository.ts';
import { sweepDeadlines } from '../src/modules/matters/deadlines.sweep.ts';
import { buildMatter } from '../src/test/matter-factory.ts';

async function time(fn: () => Promise<void> | void, minMs = 300): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await fn();
    n++;
  }
  return (performance.now() - start) / n;
}

function report(name: string, subject: number, baseline: number, unit = 'op') {
  console.log(
    `${name.padEnd(46)} ${(subject * 1000).toFixed(1).padStart(9)} µs/${unit}  speed-up vs baseline ×${(baseline / subject).toFixed(2)}`,
  );
}

const region = await loadRegion('330110');
const laid = layoutRegion(region, { gridsPerVillage: 5, microGridsPerGrid: 4, seed: 1 });
const flat: { id: number; depth: number; node: LaidOutNode }[] = [];
const walk = (n: LaidOutNode, depth: number) => {
  flat.push({ id: flat.length + 1, depth, node: n });
  for (const c of n.children) walk(c, depth + 1);
};
walk(laid, 0);
const index = new PointIndex(flat.map((f) => ({ id: f.id, depth: f.depth, polygon: f.node.polygon })));
const points = flat
  .filter((f) => f.node.level === 'micro_grid')
  .slice(0, 200)
  .map((f) => f.node.centroid);
let i = 0;
const indexed = await time(() => {
  const p = points[i++ % points.length]!;
  index.lookup(p[0], p[1]);
});
const brute = await time(() => {
  const p = points[i++ % points.length]!;
  let best: { depth: number } | null = null;
  for (const f of flat)
    if ((!best || f.depth > best.depth) && booleanPointInPolygon(p, f.node.polygon)) best = f;
});
console.log(`point → grid lookup over ${flat.length} polygons`);
report('  R-tree + exact test (baseline: full scan)', indexed, brute, 'lookup');

const handle = await openDatabase({});
await migrate(handle.db);
const ctx = systemContext({ db: handle.db, clock: systemClock, config: testConfig() }, 'bench');
const chained = await time(() =>
  writeAudit(handle.db, ctx, { action: 'bench', objectType: 'x', objectId: 1, detail: { a: 1 } }),
);
const plain = await time(async () => {
  await handle.db
    .insertInto('setting')
    .values({ key: `k${i++}`, value: '{}' })
    .execute();
});
console.log('audit append on PGlite');
report('  hash-chained append (baseline: plain insert)', chained, plain, 'row');
await handle.close();

// The deadline sweep reads only what is due (partial indexes on due_at and warn_at), so a sweep that finds
// nothing due should cost about the same with 100 or 20 000 open matters.
{
  const db = await openDatabase({});
  await migrate(db.db);
  const clock = new FakeClock();
  const sweepCtx = systemContext({ db: db.db, clock, config: testConfig() }, 'bench');
  const grid = await insertGrid(db.db, { parentId: null, code: 'B1', name: '基准', level: 'county' });
  const template = await buildMatter(db.db, clock, { grid, state: 'dispatched' });
  const columns = (
    await sql<{ column_name: string }>`
      SELECT column_name FROM information_schema.columns
      WHERE table_name = 'matter' AND column_name NOT IN ('id', 'code') AND is_generated = 'NEVER'
        AND identity_generation IS NULL`.execute(db.db)
  ).rows.map((r) => sql.id(r.column_name));
  let copies = 0;
  const copy = async (n: number) => {
    await sql`
      INSERT INTO matter (code, ${sql.join(columns)})
      SELECT 'B' || (${copies} + g), ${sql.join(columns)} FROM matter, generate_series(1, ${n}) g
      WHERE id = ${template.id}`.execute(db.db);
    copies += n;
  };
  await copy(99);
  const few = await time(() => sweepDeadlines(sweepCtx).then(() => undefined), 1000);
  await copy(19_900);
  await sql`ANALYZE matter`.execute(db.db);
  const many = await time(() => sweepDeadlines(sweepCtx).then(() => undefined), 1000);
  console.log(`deadline sweep with nothing due, on PGlite (${copies + 1} open matters)`);
  report('  20 000 open (baseline: 100 open)', many, few, 'sweep');
  await db.close();
}
