import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { type SecretKind, SecretRedactor } from '../redaction/secret-redactor';
import {
  type AttachmentContentType,
  isPlainText,
  SNIFF_BYTES,
  sniffContentType,
  TEXT_PLAIN,
} from './attachment-type';
import { AttachmentStorage } from './storage/attachment-storage';
import { Digest, readAll, splitHead } from './upload-body';

export interface StoredFile {
  contentType: AttachmentContentType;
  /** Of the stored bytes (a redacted text is stored redacted). */
  size: number;
  sha256: string;
  /** What was redacted from a text file, when anything was. */
  redacted?: Partial<Record<SecretKind, number>>;
  /** A 64-hex value in it was redacted only because nothing labelled it a transaction hash. */
  unlabelledHexKey?: boolean;
}

/** Text is decoded and redacted this much at a time (cut at a line break), the event loop free in between. */
const TEXT_CHUNK_BYTES = 64 * 1024;

/**
 * Takes one uploaded file from the wire to storage: decides its type from its first bytes
 * (415 before anything is stored), streams binary files straight through while counting and
 * hashing them, and reads text whole (it is bounded by the size limit) to check it is plain text,
 * then redacts secrets in it a chunk at a time on its way to storage (SPEC §9). Either the whole
 * file is stored under the key, or nothing is.
 */
@Injectable()
export class AttachmentIntake {
  constructor(private readonly storage: AttachmentStorage) {}

  async store(key: string, content: AsyncIterable<Buffer>): Promise<StoredFile> {
    const { head, complete, body } = await splitHead(content, SNIFF_BYTES);
    if (complete && head.length === 0) {
      throw AppError.validation([{ field: 'file', message: 'is empty' }]);
    }
    const contentType = await sniffContentType(head, complete);
    if (!contentType) {
      throw new AppError(
        'unsupported_media_type',
        'Only PNG, JPEG, WebP, GIF, PDF, MP4 and plain UTF-8 text files are accepted.',
      );
    }
    if (contentType === TEXT_PLAIN) return this.storeText(key, await readAll(body));

    const digest = new Digest();
    await this.storage.put(key, Readable.from(digest.tap(body)));
    return { contentType, size: digest.size, sha256: digest.sha256() };
  }

  private async storeText(key: string, bytes: Buffer): Promise<StoredFile> {
    if (!isPlainText(bytes)) {
      throw new AppError(
        'unsupported_media_type',
        'The file is neither an allowed type nor plain UTF-8 text.',
      );
    }
    const redactor = new SecretRedactor();
    const digest = new Digest();
    await this.storage.put(key, Readable.from(digest.tap(redactInChunks(bytes, redactor))));
    return {
      contentType: TEXT_PLAIN,
      size: digest.size,
      sha256: digest.sha256(),
      ...(redactor.redacted && { redacted: redactor.kinds, unlabelledHexKey: redactor.unlabelledHexKey }),
    };
  }
}

/**
 * The text, redacted, in pieces: decoded a chunk at a time (cut after a line break, which never
 * falls inside a UTF-8 character), with a turn of the event loop between chunks, so a large text
 * does not hold up other requests. The redactor finds a secret across chunks as in the whole text.
 * Valid UTF-8 decodes and encodes back to the same bytes, so an unredacted text is stored as sent.
 */
async function* redactInChunks(bytes: Buffer, redactor: SecretRedactor): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length;) {
    const end = chunkEnd(bytes, start);
    const out = redactor.write(bytes.toString('utf8', start, end));
    if (out !== '') yield Buffer.from(out, 'utf8');
    start = end;
    await nextTurn();
  }
  const rest = redactor.end();
  if (rest !== '') yield Buffer.from(rest, 'utf8');
}

/** Where the chunk from `start` ends: after its last line break, else before a character's first byte. */
function chunkEnd(bytes: Buffer, start: number): number {
  const limit = start + TEXT_CHUNK_BYTES;
  if (limit >= bytes.length) return bytes.length;
  const newline = bytes.subarray(start, limit).lastIndexOf(0x0a);
  if (newline >= 0) return start + newline + 1;
  let end = limit;
  while (end > start && (bytes[end] & 0xc0) === 0x80) end -= 1; // a continuation byte
  return end > start ? end : limit;
}
