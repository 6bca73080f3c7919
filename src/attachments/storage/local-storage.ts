import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertKey, AttachmentStorage, type ByteRange } from './attachment-storage';

/**
 * Attachments in a local directory (`DATA_DIR/attachments`). A write goes to a temporary file
 * beside its target, is flushed to disk and renamed into place, so a reader never sees half a
 * file and a failed write leaves nothing behind.
 */
export class LocalAttachmentStorage extends AttachmentStorage {
  constructor(
    readonly root: string,
    /** Removed with everything in it when the app stops (the temporary directory of `DATA_DIR=memory://`). */
    private readonly temporary = false,
  ) {
    super();
  }

  async put(key: string, body: Readable): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temp = join(dirname(path), `.${randomUUID()}.part`);
    try {
      // `flush`: fsync before the stream closes, so the renamed file is on disk.
      await pipeline(body, createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true }));
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = await open(this.pathOf(key), 'r');
    return file.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.temporary) await rm(this.root, { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }
}
