import { createHash } from 'node:crypto';

/**
 * Reading an uploaded file as it arrives: its first bytes to decide the type before anything is
 * stored, then the whole of it, counted and hashed on the way through.
 */

export interface SplitBody {
  /** The first bytes (at least `size` of them unless the file is shorter). */
  head: Buffer;
  /** True when the head is the whole file. */
  complete: boolean;
  /** The whole file from its first byte: the head again, then the rest as it arrives. */
  body: AsyncIterable<Buffer>;
}

export async function splitHead(source: AsyncIterable<Buffer>, size: number): Promise<SplitBody> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let complete = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      complete = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* body(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (complete) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // Stopped early (the consumer failed): let the source release what it holds.
      await iterator.return?.();
    }
  }
  return { head, complete, body: body() };
}

export async function readAll(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Size and SHA-256 of the bytes that pass through `tap`. */
export class Digest {
  private readonly hash = createHash('sha256');
  size = 0;

  async *tap(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      this.hash.update(chunk);
      this.size += chunk.length;
      yield chunk;
    }
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  static of(bytes: Buffer): { size: number; sha256: string } {
    return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
}
