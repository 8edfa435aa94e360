import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LocalDiskStorage,
  localStorageFor,
  newStorageKey,
  originalKeyOf,
  type StoredFile,
  variantKey,
} from './storage.ts';

let root: string;
let storage: LocalDiskStorage;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gridgov-storage-'));
  storage = new LocalDiskStorage(root);
});
afterAll(async () => rm(root, { recursive: true, force: true }));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function all(files: AsyncIterable<StoredFile>): Promise<StoredFile[]> {
  const out: StoredFile[] = [];
  for await (const f of files) out.push(f);
  return out;
}

describe('local disk storage', () => {
  it('refuses keys that are not its own random keys', async () => {
    for (const key of [
      '../etc/passwd',
      'ABCDEF',
      '',
      `${'a'.repeat(31)}/`,
      `${'a'.repeat(32)}.tmp`,
      `${'a'.repeat(32)}.png`,
      `${'a'.repeat(32)}.thumb/../x`,
      `../${'a'.repeat(32)}.0123456789ab.tmp`,
    ]) {
      await expect(storage.put(key, Buffer.from('x')), key).rejects.toThrow('invalid storage key');
      await expect(storage.get(key), key).rejects.toThrow('invalid storage key');
      await expect(storage.remove(key), key).rejects.toThrow('invalid storage key');
    }
  });

  it('answers null for a missing file, and removing one is not an error', async () => {
    const key = newStorageKey();
    expect(await storage.get(key)).toBeNull();
    await expect(storage.remove(key)).resolves.toBeUndefined();
  });

  it('stores, reads and removes files under sharded folders, leaving no temporary files', async () => {
    const key = newStorageKey();
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(newStorageKey()).not.toBe(key);
    const bytes = Buffer.from('现场照片 bytes');
    await storage.put(key, bytes);
    expect(storage.pathOf(key)).toBe(join(root, key.slice(0, 2), key.slice(2, 4), key));
    expect(existsSync(storage.pathOf(key))).toBe(true);
    expect(await storage.get(key)).toEqual(bytes);
    expect((await filesUnder(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await storage.put(key, Buffer.from('replaced'));
    expect(String(await storage.get(key))).toBe('replaced');
    await storage.remove(key);
    expect(await storage.get(key)).toBeNull();
  });

  it('concurrent writes of different keys do not interfere', async () => {
    const keys = Array.from({ length: 20 }, newStorageKey);
    await Promise.all(keys.map((k, i) => storage.put(k, Buffer.from(`file ${i}`))));
    const read = await Promise.all(keys.map((k) => storage.get(k)));
    expect(read.map(String)).toEqual(keys.map((_, i) => `file ${i}`));
  });

  it('keeps a variant beside its file under `<key>.thumb`, and knows the key it derives from', async () => {
    const key = newStorageKey();
    const thumb = variantKey(key, 'thumb');
    expect(thumb).toBe(`${key}.thumb`);
    expect(originalKeyOf(thumb)).toBe(key);
    expect(originalKeyOf(key)).toBe(key);
    await storage.put(thumb, Buffer.from('small'));
    expect(storage.pathOf(thumb)).toBe(join(root, key.slice(0, 2), key.slice(2, 4), thumb));
    expect(String(await storage.get(thumb))).toBe('small');
    await storage.remove(thumb);
    expect(await storage.get(thumb)).toBeNull();
  });

  it('lists its own files (leftovers of interrupted writes as partial), nothing else, and a missing root as empty', async () => {
    const own = new LocalDiskStorage(join(root, 'listing'));
    expect(await all(own.list())).toEqual([]);
    const keys = [newStorageKey(), newStorageKey()];
    for (const key of keys) await own.put(key, Buffer.from(key));
    await own.put(variantKey(keys[0]!, 'thumb'), Buffer.from('t'));
    const leftover = `${keys[1]}.0123456789ab.tmp`;
    await writeFile(join(own.pathOf(keys[1]!), '..', leftover), 'half');
    await writeFile(join(own.root, 'notes.txt'), 'not ours');
    await mkdir(join(own.root, 'zz', 'yy'), { recursive: true });
    await writeFile(join(own.root, 'zz', 'yy', keys[0]!), 'wrong folder');
    await writeFile(join(own.pathOf(keys[0]!), '..', 'other.bin'), 'unknown name');

    const listed = await all(own.list());
    expect(listed.map((f) => [f.key, f.partial]).sort()).toEqual(
      [
        [keys[0], false],
        [variantKey(keys[0]!, 'thumb'), false],
        [keys[1], false],
        [leftover, true],
      ].sort(),
    );
    expect(
      listed.every((f) => f.modifiedAt instanceof Date && Date.now() - f.modifiedAt.getTime() < 60_000),
    ).toBe(true);

    await expect(own.get(leftover)).rejects.toThrow('invalid storage key');
    await expect(own.put(leftover, Buffer.from('x'))).rejects.toThrow('invalid storage key');
    await own.remove(leftover);
    expect((await all(own.list())).map((f) => f.key)).not.toContain(leftover);
    expect(await all(new LocalDiskStorage(join(root, 'absent')).list())).toEqual([]);
  });

  it('the server keeps files in <DATA_DIR>/files', () => {
    expect(localStorageFor('/srv/gridgov').root).toBe(join('/srv/gridgov', 'files'));
  });
});
