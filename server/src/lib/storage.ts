import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where uploaded files live. Keys come from {@link newStorageKey}, never from user input. */
export interface FileStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The file, or null when there is none under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{32}$/;

/** A fresh random key: 128 bits as hex. */
export function newStorageKey(): string {
  return randomBytes(16).toString('hex');
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
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
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
    await rm(this.pathOf(key), { force: true });
  }
}

/** The server's storage: `<DATA_DIR>/files/`. */
export function localStorageFor(dataDir: string): LocalDiskStorage {
  return new LocalDiskStorage(join(dataDir, 'files'));
}
