import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { AppError } from '../common/errors/app-error';
import { SecretGuard } from '../redaction/secret-guard';
import type { SecretKind } from '../redaction/secret-redactor';
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
}

/**
 * Takes one uploaded file from the wire to storage: decides its type from its first bytes
 * (415 before anything is stored), streams binary files straight through while counting and
 * hashing them, and reads text whole (it is bounded by the size limit) to redact secrets before
 * storing it (SPEC §9). Either the whole file is stored under the key, or nothing is.
 */
@Injectable()
export class AttachmentIntake {
  constructor(
    private readonly storage: AttachmentStorage,
    private readonly secrets: SecretGuard,
  ) {}

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
    // Valid UTF-8 decodes and encodes back to the same bytes, so an unredacted text is stored as sent.
    const inspected = this.secrets.inspect({ content: bytes.toString('utf8') });
    const stored = inspected.redacted ? Buffer.from(inspected.values.content, 'utf8') : bytes;
    await this.storage.put(key, Readable.from([stored]));
    return {
      contentType: TEXT_PLAIN,
      ...Digest.of(stored),
      ...(inspected.redacted && { redacted: inspected.kinds }),
    };
  }
}
