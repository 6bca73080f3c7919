import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { AppConfig } from '../../config/app-config';
import { assertKey, AttachmentStorage, type ByteRange } from './attachment-storage';

/** S3 multipart parts: the minimum part size, two in flight, so an upload holds at most 10 MiB. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

export function createS3Client(config: AppConfig): S3Client {
  const custom = config.S3_ENDPOINT !== undefined;
  return new S3Client({
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
    // S3-compatible stores often reject the SDK's default flexible checksums; the desk keeps its
    // own SHA-256 of every file anyway.
    ...(custom && {
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    }),
  });
}

/**
 * Attachments in an S3 bucket (AWS or any S3-compatible store). Uploads stream through the SDK's
 * managed upload, which aborts a multipart upload that fails, so no partial object remains.
 */
export class S3AttachmentStorage extends AttachmentStorage {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {
    super();
  }

  async put(key: string, body: Readable): Promise<void> {
    assertKey(key);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        // Never served from the bucket as a page, should the bucket ever be exposed.
        ContentType: 'application/octet-stream',
        ContentDisposition: 'attachment',
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertKey(key);
    const object = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    if (!(object.Body instanceof Readable)) throw new Error(`No body for attachment object ${key}`);
    return object.Body;
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }
}
