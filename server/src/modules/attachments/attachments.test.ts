import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attachment } from '@gridgov/common/schemas/matters';
import type { FastifyBaseLogger, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridRow, MatterRow } from '../../db/schema/types.ts';
import { sweepAttachmentFiles } from '../../jobs.ts';
import { HOUR, MINUTE } from '../../lib/clock.ts';
import { LocalDiskStorage, newStorageKey, variantKey } from '../../lib/storage.ts';
import { buildGrid, buildUser, signIn } from '../../test/factories.ts';
import { anonymous, type Client, createTestEnv, type TestEnv } from '../../test/harness.ts';
import { buildMatter } from '../../test/matter-factory.ts';
import { cleanFileName } from './attachments.content.ts';
import { sweepOrphanFiles } from './attachments.sweep.ts';

let env: TestEnv;
let dataDir: string;
let county: GridRow;
let villageA: GridRow;
let villageB: GridRow;
let matter: MatterRow;
let reporter: Client;
let outsider: Client;
let readOnly: Client;
let departmentId: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gridgov-attachments-'));
  env = await createTestEnv({ dataDir });
  const db = env.handle.db;
  county = await buildGrid(db);
  const town = await buildGrid(db, { parent: county });
  villageA = await buildGrid(db, { parent: town });
  villageB = await buildGrid(db, { parent: town });
  matter = await buildMatter(db, env.clock, { grid: villageA, owner: town });
  const role = `只读${randomBytes(3).toString('hex')}`;
  await db
    .insertInto('role')
    .values({ name: role, kind: 'business', permissions: ['matter.read'] })
    .execute();
  const dept = await db
    .insertInto('department')
    .values({ code: `D${randomBytes(3).toString('hex')}`, name_zh: '城管', name_en: 'Urban' })
    .returning('id')
    .executeTakeFirstOrThrow();
  departmentId = dept.id;
  const user = (grid: GridRow, roleName: string) =>
    buildUser(db, env.config, { grid, roles: [{ role: roleName }] }).then((u) =>
      signIn(env.app, u, env.clock),
    );
  reporter = await user(villageA, '网格员');
  outsider = await user(villageB, '网格员');
  readOnly = await user(villageA, role);
});
afterAll(async () => {
  await env?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A multipart/form-data body with one file part. */
function form(bytes: Buffer, fileName = 'photo.jpg', field = 'file', type = 'image/jpeg') {
  const boundary = `----gridgov${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(
  client: Client,
  matterId: number,
  f: ReturnType<typeof form>,
  extra: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return client.post(`/api/matters/${matterId}/attachments`, f.body, { ...f.headers, ...extra });
}

/** A 20×10 JPEG that says "rotate 90°" and carries a camera make and a GPS position in its EXIF. */
function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 20, height: 10, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'GridCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 2700/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The tag numbers of IFD0 of an EXIF block (0x8825 is the pointer to the GPS IFD). */
function ifd0Tags(exif: Buffer): number[] {
  const tiff = exif.subarray(exif.indexOf('Exif\0\0') === 0 ? 6 : 0);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const start = u32(4);
  return Array.from({ length: u16(start) }, (_, i) => u16(start + 2 + i * 12));
}

const png = () =>
  sharp({ create: { width: 4, height: 4, channels: 4, background: '#00ff0080' } })
    .png()
    .toBuffer();
const pdf = () =>
  Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'.padEnd(300, ' '), 'latin1');

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(join(dataDir, 'files'), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('attachments: refusals', () => {
  it('401 without a session', async () => {
    const f = form(await png(), 'a.png');
    expect((await upload(anonymous(env.app), matter.id, f)).statusCode).toBe(401);
    expect((await anonymous(env.app).get('/api/attachments/1')).statusCode).toBe(401);
  });

  it('400 when the body is not multipart or has no `file` part', async () => {
    const json = await reporter.post(`/api/matters/${matter.id}/attachments`, { file: 'x' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.details[0].field).toBe('file');
    const wrongField = await upload(reporter, matter.id, form(await png(), 'a.png', 'photo'));
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json().error.details[0].field).toBe('file');
  });

  it('400 naming `file` for content that is not an accepted type, whatever its name says', async () => {
    for (const [bytes, name] of [
      [Buffer.from('just some text, not a picture'), 'photo.jpg'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.png'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'x.jpg'],
      [Buffer.alloc(0), 'empty.pdf'],
      [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]), 'broken.jpg'],
    ] as const) {
      const res = await upload(reporter, matter.id, form(bytes, name));
      expect(res.statusCode, name).toBe(400);
      expect(res.json().error.details[0].field, name).toBe('file');
    }
    expect(await storedFiles()).toEqual([]);
  });

  it('404 for a matter outside the caller’s scope or absent; 404 for such attachments', async () => {
    const f = form(await png(), 'a.png');
    const outside = await upload(outsider, matter.id, f);
    expect(outside.statusCode).toBe(404);
    expect((await upload(reporter, 2_000_000_000, f)).statusCode).toBe(404);
    const ok = await upload(reporter, matter.id, form(await png(), 'b.png'));
    expect(ok.statusCode, ok.body).toBe(200);
    const id = (ok.json() as Attachment).id;
    expect((await outsider.get(`/api/attachments/${id}`)).statusCode).toBe(404);
    expect((await reporter.get('/api/attachments/2000000000')).statusCode).toBe(404);
  });

  it('403 when the caller can read the matter but takes no part in it', async () => {
    const res = await upload(readOnly, matter.id, form(await png(), 'a.png'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('a department handler may add files only once the matter is assigned (department-aware)', async () => {
    const handler = await signIn(
      env.app,
      await buildUser(env.handle.db, env.config, {
        grid: county,
        roles: [{ role: '部门处置人员', departmentId }],
      }),
      env.clock,
    );
    const town = await env.handle.db
      .selectFrom('grid')
      .selectAll()
      .where('id', '=', villageA.parent_id!)
      .executeTakeFirstOrThrow();
    const accepted = await buildMatter(env.handle.db, env.clock, {
      grid: villageA,
      owner: town,
      state: 'accepted',
      departmentId,
    });
    expect((await upload(handler, accepted.id, form(await png(), 'a.png'))).statusCode).toBe(403);
    const assigned = await buildMatter(env.handle.db, env.clock, {
      grid: villageA,
      owner: town,
      assignee: town,
      state: 'dispatched',
      departmentId,
    });
    const ok = await upload(handler, assigned.id, form(await png(), 'a.png'));
    expect(ok.statusCode, ok.body).toBe(200);
    const otherDept = await buildMatter(env.handle.db, env.clock, {
      grid: villageA,
      owner: town,
      assignee: town,
      state: 'dispatched',
    });
    expect((await upload(handler, otherDept.id, form(await png(), 'a.png'))).statusCode).toBe(404);
  });

  it('413 beyond 10 MB, and nothing is kept', async () => {
    const before = await storedFiles();
    const big = Buffer.concat([await png(), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload(reporter, matter.id, form(big, 'big.png'));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await storedFiles()).toEqual(before);
  });

  it('a malformed Idempotency-Key is refused and the written file removed again', async () => {
    const before = await storedFiles();
    const res = await upload(reporter, matter.id, form(await png(), 'a.png'), {
      'idempotency-key': 'has spaces and 中文',
    });
    expect(res.statusCode).toBe(400);
    expect(await storedFiles()).toEqual(before);
  });
});

describe('attachments: happy paths', () => {
  it('strips EXIF (GPS included) from a JPEG after applying its orientation, and serves it back', async () => {
    const original = await jpegWithGps();
    const meta = await sharp(original).metadata();
    expect(meta.orientation).toBe(6);
    expect(ifd0Tags(meta.exif!)).toContain(0x8825);

    const res = await upload(reporter, matter.id, form(original, '现场照片.jpeg'));
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json() as Attachment;
    expect(a).toMatchObject({ fileName: '现场照片.jpg', mime: 'image/jpeg' });

    const got = await reporter.get(`/api/attachments/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['content-disposition']).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`,
    );
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('private, no-store');
    const served = got.rawPayload;
    expect(served.length).toBe(a.size);
    const out = await sharp(served).metadata();
    expect(out.exif).toBeUndefined();
    expect(out.xmp).toBeUndefined();
    expect(out.orientation).toBeUndefined();
    expect(served.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(served.includes(Buffer.from('GridCam'))).toBe(false);
    expect([out.width, out.height]).toEqual([10, 20]);

    const row = await env.handle.db
      .selectFrom('attachment')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    expect(row.sha256).toBe(createHash('sha256').update(served).digest('hex'));
    expect(row.matter_id).toBe(matter.id);
    expect(row.storage_key).toMatch(/^[0-9a-f]{32}$/);
    expect(await storedFiles()).toContain(row.storage_key);
    const audit = await env.handle.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'attachment.create')
      .where('object_id', '=', String(a.id))
      .executeTakeFirstOrThrow();
    expect(audit.object_path).toBe(villageA.path);
    expect(audit.detail).toMatchObject({ matterId: matter.id, mime: 'image/jpeg', sha256: row.sha256 });
    expect(JSON.stringify(audit.detail)).not.toContain('现场照片');
  });

  it('judges by content: a PDF named .jpg is kept as a PDF; PNG and WebP are re-encoded', async () => {
    const asPdf = await upload(reporter, matter.id, form(pdf(), 'scan.jpg'));
    expect(asPdf.statusCode, asPdf.body).toBe(200);
    expect(asPdf.json()).toMatchObject({ mime: 'application/pdf', fileName: 'scan.pdf' });
    const served = await reporter.get(`/api/attachments/${asPdf.json().id}`);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.rawPayload).toEqual(pdf());

    const webp = await sharp(await png())
      .webp()
      .withExif({ IFD0: { Make: 'GridCam' } })
      .toBuffer();
    const w = await upload(reporter, matter.id, form(webp, 'w.webp', 'file', 'application/octet-stream'));
    expect(w.json()).toMatchObject({ mime: 'image/webp', fileName: 'w.webp' });
    const wBytes = (await reporter.get(`/api/attachments/${w.json().id}`)).rawPayload;
    expect((await sharp(wBytes).metadata()).exif).toBeUndefined();

    const p = await upload(reporter, matter.id, form(await png(), '../../etc/passwd'));
    expect(p.json()).toMatchObject({ mime: 'image/png', fileName: 'passwd.png' });
  });

  it('the same Idempotency-Key returns the first attachment and keeps one file', async () => {
    const key = `att-${randomBytes(4).toString('hex')}`;
    const first = await upload(reporter, matter.id, form(await png(), 'k.png'), { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(200);
    const files = await storedFiles();
    const again = await upload(reporter, matter.id, form(await png(), 'k.png'), { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await storedFiles()).toEqual(files);
    const rows = await env.handle.db
      .selectFrom('attachment')
      .select('id')
      .where('matter_id', '=', matter.id)
      .where('file_name', '=', 'k.png')
      .execute();
    expect(rows).toHaveLength(1);
    // The same key with another file is not a retry: 400 naming the header, and the new file is removed.
    const otherFile = await upload(reporter, matter.id, form(pdf(), 'k.png'), { 'idempotency-key': key });
    expect(otherFile.statusCode).toBe(400);
    expect(otherFile.json().error.details[0].field).toBe('headers.idempotency-key');
    expect(await storedFiles()).toEqual(files);
    const otherMatter = await buildMatter(env.handle.db, env.clock, { grid: villageA });
    const reused = await upload(reporter, otherMatter.id, form(await png(), 'k.png'), {
      'idempotency-key': key,
    });
    expect(reused.statusCode).toBe(400);
    expect(await storedFiles()).toEqual(files);
  });

  it('everyone who can read the matter can fetch its files', async () => {
    const res = await upload(reporter, matter.id, form(await png(), 'r.png'));
    expect((await readOnly.get(`/api/attachments/${res.json().id}`)).statusCode).toBe(200);
  });
});

const files = () => new LocalDiskStorage(join(dataDir, 'files'));
const ago = (ms: number) => new Date(env.clock.now().getTime() - ms);
const backdate = (path: string, ms: number) => utimes(path, ago(ms), ago(ms));
const thumbOf = (key: string) => variantKey(key, 'thumb');

async function rowOf(id: number) {
  return env.handle.db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** A 1200×900 photo of noise (so that it stays large) whose EXIF names a camera and a GPS position and says "rotate 90°". */
function bigPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 1200,
      height: 900,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 92 })
    .withExif({ IFD0: { Make: 'GridCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function uploaded(client: Client, bytes: Buffer, name: string): Promise<Attachment> {
  const res = await upload(client, matter.id, form(bytes, name));
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Attachment;
}

/** An attachment row written the way uploads were before thumbnails existed: the original only. */
async function legacyAttachment(bytes: Buffer, fileName = 'old.jpg'): Promise<{ id: number; key: string }> {
  const key = newStorageKey();
  await files().put(key, bytes);
  const row = await env.handle.db
    .insertInto('attachment')
    .values({
      matter_id: matter.id,
      file_name: fileName,
      mime: 'image/jpeg',
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      storage_key: key,
      created_by: null,
      created_at: env.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key };
}

describe('attachments: thumbnails', () => {
  it('the same access rule as the file: 401 without a session, 404 outside the matter’s scope or absent', async () => {
    const a = await uploaded(reporter, await png(), 't.png');
    const url = `/api/attachments/${a.id}/thumbnail`;
    expect((await anonymous(env.app).get(url)).statusCode).toBe(401);
    const outside = await outsider.get(url);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('NOT_FOUND');
    expect(outside.headers['cache-control']).toBeUndefined();
    expect((await outsider.get(`/api/attachments/${a.id}`)).statusCode).toBe(404);
    expect((await reporter.get('/api/attachments/2000000000/thumbnail')).statusCode).toBe(404);
    expect((await readOnly.get(url)).statusCode).toBe(200);
  });

  it('an uploaded photo gets a small WebP beside it: within 320×320, upright, without EXIF, cached privately', async () => {
    const a = await uploaded(reporter, await bigPhoto(), '现场.jpg');
    expect(a.thumbnailUrl).toBe(`/api/attachments/${a.id}/thumbnail`);
    const { storage_key } = await rowOf(a.id);
    expect(existsSync(files().pathOf(thumbOf(storage_key)))).toBe(true);

    const got = await reporter.get(a.thumbnailUrl!);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/webp');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('private, max-age=604800, immutable');
    expect(got.headers['content-disposition']).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('现场.thumb.webp')}`,
    );
    const thumb = got.rawPayload;
    expect(thumb.length).toBeLessThan(a.size / 4);
    const meta = await sharp(thumb).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([240, 320]);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(thumb.includes(Buffer.from('GridCam'))).toBe(false);
    expect((await sharp(thumb).stats()).channels).toHaveLength(3);

    const detail = await reporter.get(`/api/matters/${matter.id}`);
    const listed = (detail.json().attachments as Attachment[]).find((x) => x.id === a.id);
    expect(listed?.thumbnailUrl).toBe(a.thumbnailUrl);
  });

  it('a small image is not enlarged, and keeps its transparency', async () => {
    const a = await uploaded(reporter, await png(), 'small.png');
    const meta = await sharp((await reporter.get(a.thumbnailUrl!)).rawPayload).metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(['webp', 4, 4, true]);
  });

  it('a PDF has none: thumbnailUrl null, the route answers 404, nothing is stored beside it', async () => {
    const a = await uploaded(reporter, pdf(), 'scan.pdf');
    expect(a.thumbnailUrl).toBeNull();
    const res = await reporter.get(`/api/attachments/${a.id}/thumbnail`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(res.headers['cache-control']).toBeUndefined();
    expect(existsSync(files().pathOf(thumbOf((await rowOf(a.id)).storage_key)))).toBe(false);
    const detail = await reporter.get(`/api/matters/${matter.id}`);
    expect((detail.json().attachments as Attachment[]).find((x) => x.id === a.id)?.thumbnailUrl).toBeNull();
  });

  it('an upload answer stored for Idempotency-Key before thumbnails existed is replayed with its thumbnailUrl', async () => {
    const key = `old-${randomBytes(4).toString('hex')}`;
    const bytes = await png();
    const first = await upload(reporter, matter.id, form(bytes, 'o.png'), { 'idempotency-key': key });
    expect(first.statusCode, first.body).toBe(200);
    await sql`UPDATE idempotency_key SET body = body - 'thumbnailUrl' WHERE key = ${key}`.execute(
      env.handle.db,
    );
    const again = await upload(reporter, matter.id, form(bytes, 'o.png'), { 'idempotency-key': key });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.json().thumbnailUrl).toBe(`/api/attachments/${first.json().id}/thumbnail`);
  });

  it('an attachment stored before thumbnails existed gets one on first request, stored for later ones', async () => {
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } })
      .jpeg()
      .toBuffer();
    const old = await legacyAttachment(photo);
    const url = `/api/attachments/${old.id}/thumbnail`;
    const thumbPath = files().pathOf(thumbOf(old.key));

    expect((await outsider.get(url)).statusCode).toBe(404);
    expect(existsSync(thumbPath)).toBe(false);

    const first = await reporter.get(url);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    const meta = await sharp(first.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([320, 240]);
    expect(existsSync(thumbPath)).toBe(true);
    expect(await files().get(thumbOf(old.key))).toEqual(first.rawPayload);
    expect((await readOnly.get(url)).rawPayload).toEqual(first.rawPayload);

    const missing = await legacyAttachment(photo, 'gone.jpg');
    await files().remove(missing.key);
    expect((await reporter.get(`/api/attachments/${missing.id}/thumbnail`)).statusCode).toBe(404);
    expect(existsSync(files().pathOf(thumbOf(missing.key)))).toBe(false);
  });
});

describe('attachments: orphaned files', () => {
  it('removes old files without a row (original, thumbnail, interrupted write); keeps young ones, rowed ones and foreign files', async () => {
    const st = files();
    const kept = await uploaded(reporter, await png(), 'kept.png');
    const keptKey = (await rowOf(kept.id)).storage_key;
    const legacy = await legacyAttachment(
      await sharp(await png())
        .jpeg()
        .toBuffer(),
    );
    for (const key of [keptKey, thumbOf(keptKey), legacy.key]) await backdate(st.pathOf(key), 3 * HOUR);

    const orphan = newStorageKey();
    await st.put(orphan, Buffer.from('crashed before the row'));
    await st.put(thumbOf(orphan), Buffer.from('its thumbnail'));
    const young = newStorageKey();
    await st.put(young, Buffer.from('an upload on its way'));
    const partialKey = newStorageKey();
    const partial = `${st.pathOf(partialKey)}.0123456789ab.tmp`;
    await mkdir(join(partial, '..'), { recursive: true });
    await writeFile(partial, 'half written');
    const foreign = join(st.root, 'README.txt');
    await writeFile(foreign, 'not ours');
    for (const path of [st.pathOf(orphan), st.pathOf(thumbOf(orphan)), partial, foreign]) {
      await backdate(path, 2 * HOUR);
    }
    await backdate(st.pathOf(young), 10 * MINUTE);

    const result = await sweepOrphanFiles(env.ctx, st);
    expect(result).toMatchObject({ orphans: 3, removed: 3, refused: false });
    expect(result.kept).toBeGreaterThanOrEqual(3);
    expect(result.young).toBeGreaterThanOrEqual(1);
    for (const path of [st.pathOf(orphan), st.pathOf(thumbOf(orphan)), partial]) {
      expect(existsSync(path), path).toBe(false);
    }
    for (const path of [st.pathOf(keptKey), st.pathOf(thumbOf(keptKey)), st.pathOf(legacy.key), foreign]) {
      expect(existsSync(path), path).toBe(true);
    }
    expect(existsSync(st.pathOf(young))).toBe(true);
    expect((await reporter.get(`/api/attachments/${kept.id}`)).statusCode).toBe(200);
    expect((await reporter.get(`/api/attachments/${kept.id}/thumbnail`)).statusCode).toBe(200);

    env.clock.advance(HOUR);
    expect(await sweepOrphanFiles(env.ctx, st)).toMatchObject({ orphans: 1, removed: 1 });
    expect(existsSync(st.pathOf(young))).toBe(false);
    expect(existsSync(st.pathOf(keptKey))).toBe(true);
  });

  it('removes nothing when most old files have no row (a data folder opened against the wrong database)', async () => {
    const st = new LocalDiskStorage(join(dataDir, 'elsewhere'));
    const keys = [newStorageKey(), newStorageKey(), newStorageKey()];
    for (const key of keys) {
      await st.put(key, Buffer.from(key));
      await backdate(st.pathOf(key), 2 * HOUR);
    }
    expect(await sweepOrphanFiles(env.ctx, st, { maxOrphans: 2 })).toMatchObject({
      orphans: 3,
      removed: 0,
      refused: true,
    });
    expect(keys.every((key) => existsSync(st.pathOf(key)))).toBe(true);
    expect(await sweepOrphanFiles(env.ctx, st)).toMatchObject({ removed: 3, refused: false });
  });

  it('the job logs counts, never keys or names', async () => {
    const jobDir = join(dataDir, 'job');
    const st = new LocalDiskStorage(join(jobDir, 'files'));
    const key = newStorageKey();
    await st.put(key, Buffer.from('orphan'));
    await backdate(st.pathOf(key), 2 * HOUR);
    const lines: unknown[][] = [];
    const log = {
      info: (...args: unknown[]) => lines.push(args),
      warn: (...args: unknown[]) => lines.push(args),
    };
    await sweepAttachmentFiles(
      { ...env.ctx, config: { ...env.config, dataDir: jobDir } },
      log as unknown as FastifyBaseLogger,
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toMatchObject({ job: 'attachment-files', files: 1, orphans: 1, removed: 1 });
    expect(JSON.stringify(lines)).not.toContain(key);
    expect(existsSync(st.pathOf(key))).toBe(false);
  });
});

describe('file names', () => {
  it.each([
    ['photo.JPG', 'image/jpeg', 'photo.jpg'],
    ['notes.txt', 'application/pdf', 'notes.txt.pdf'],
    ['C:\\Users\\张三\\现场.png', 'image/png', '现场.png'],
    ['', 'image/webp', 'attachment.webp'],
    ['a\u0000b\r\n"c".pdf', 'application/pdf', 'abc.pdf'],
    [`${'长'.repeat(200)}.jpg`, 'image/jpeg', `${'长'.repeat(120)}.jpg`],
  ] as const)('%s as %s → %s', (raw, mime, expected) => {
    expect(cleanFileName(raw, mime)).toBe(expected);
  });
});
