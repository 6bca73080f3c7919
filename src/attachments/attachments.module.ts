import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, MEMORY_DATA_DIR } from '../config/app-config';
import { TicketsModule } from '../tickets/tickets.module';
import { AttachmentIntake } from './attachment-intake';
import { AttachmentLinksModule } from './attachment-links.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { AttachmentStorage } from './storage/attachment-storage';
import { LocalAttachmentStorage } from './storage/local-storage';
import { createS3Client, S3AttachmentStorage } from './storage/s3-storage';

/** S3 when S3_BUCKET is set; else DATA_DIR/attachments, or a temporary directory for `memory://`. */
export function createAttachmentStorage(config: AppConfig): AttachmentStorage {
  if (config.S3_BUCKET) return new S3AttachmentStorage(createS3Client(config), config.S3_BUCKET);
  if (config.DATA_DIR === MEMORY_DATA_DIR) {
    // Created by the first upload (an app that never stores a file leaves nothing), removed at shutdown.
    return new LocalAttachmentStorage(join(tmpdir(), `sla-desk-attachments-${randomUUID()}`), true);
  }
  const root = join(config.DATA_DIR, 'attachments');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return new LocalAttachmentStorage(root);
}

@Module({
  imports: [TicketsModule, AttachmentLinksModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentIntake,
    { provide: AttachmentStorage, inject: [APP_CONFIG], useFactory: createAttachmentStorage },
  ],
})
export class AttachmentsModule {}
