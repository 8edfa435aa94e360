import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A file found by {@link FileStorage.list}. */
export interface StoredFile {
  /** Its key; for a leftover of an interrupted write, the temporary name it was written under. */
  key: string;
  modifiedAt: Date;
  /** A leftover of an interrupted write (never read, never named by a row); `remove` takes its key. */
  partial: boolean;
}

/**
 * Where uploaded files live. Keys come from {@link newStorageKey} (or {@link variantKey} of one), never
 * from user input.
 */
export interface FileStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The file, or null when there is none under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
  /** Every stored file, in no particular order, one folder at a time (for sweeps; work ∝ files stored). */
  list(): AsyncIterable<StoredFile>;
}

/** Files derived from a stored file and kept beside it under `<key>.<variant>`. */
export type Variant = 'thumb';

const KEY = /^[0-9a-f]{32}(?:\.thumb)?$/;
const PARTIAL = /^[0-9a-f]{32}(?:\.thumb)?\.[0-9a-f]{12}\.tmp$/;
const SHARD = /^[0-9a-f]{2}$/;

/** A fresh random key: 128 bits as hex. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
}

/** The key of a variant of the file under `key` (e.g. an image's thumbnail). */
export function variantKey(key: string, variant: Variant): string {
  return `${key}.${variant}`;
}

/** The key of the original a stored file belongs to: its own key, or the one its variant derives from. */
export function originalKeyOf(key: string): string {
  return key.slice(0, 32);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/**
 * Files on the local disk under `root`, sharded by the key's first two byte pairs
 * (`root/ab/cd/abcd…`) so that no directory grows large. A write goes to a temporary file that is
 * flushed and then renamed, so a reader never sees a half-written file.
 */
export class LocalDiskStorage implements FileStorage {
  constructor(readonly root: string) {}

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid storage key');
    return this.#shardPath(key);
  }

  #shardPath(name: string): string {
    return join(this.root, name.slice(0, 2), name.slice(2, 4), name);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`; // PARTIAL, until renamed
    try {
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(bytes);
        await file.datasync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    if (PARTIAL.test(key)) return rm(this.#shardPath(key), { force: true });
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Walks `root/ab/cd/`: only shard folders and names this storage writes (anything else under the root
   * is not its own and is never listed), with the time each file was last written.
   */
  async *list(): AsyncIterable<StoredFile> {
    for (const a of await shardsIn(this.root)) {
      for (const b of await shardsIn(join(this.root, a))) {
        const dir = join(this.root, a, b);
        for (const entry of await entriesOf(dir)) {
          const name = entry.name;
          if (!entry.isFile() || !name.startsWith(a + b)) continue;
          const partial = PARTIAL.test(name);
          if (!partial && !KEY.test(name)) continue;
          const stat = await lstat(join(dir, name)).catch((error: unknown) => {
            if (isMissing(error)) return null; // removed since the folder was read
            throw error;
          });
          if (stat) yield { key: name, modifiedAt: stat.mtime, partial };
        }
      }
    }
  }
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function shardsIn(dir: string): Promise<string[]> {
  const entries = await entriesOf(dir);
  return entries.filter((e) => e.isDirectory() && SHARD.test(e.name)).map((e) => e.name);
}

/** The server's storage: `<DATA_DIR>/files/`. */
export function localStorageFor(dataDir: string): LocalDiskStorage {
  return new LocalDiskStorage(join(dataDir, 'files'));
}
