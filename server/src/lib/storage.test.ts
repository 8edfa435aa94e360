import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage, localStorageFor, newStorageKey } from './storage.ts';

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

describe('local disk storage', () => {
  it('refuses keys that are not its own random keys', async () => {
    for (const key of ['../etc/passwd', 'ABCDEF', '', `${'a'.repeat(31)}/`, `${'a'.repeat(32)}.tmp`]) {
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

  it('the server keeps files in <DATA_DIR>/files', () => {
    expect(localStorageFor('/srv/gridgov').root).toBe(join('/srv/gridgov', 'files'));
  });
});
