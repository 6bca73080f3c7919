import { Module } from '@nestjs/common';
import { AttachmentLinks } from './attachment-links';
import { AttachmentsRepository } from './attachments.repository';

/**
 * The part of attachments that tickets call (linking files to a new message), apart from the
 * upload routes, which depend on tickets: so neither module imports the other.
 */
@Module({
  providers: [AttachmentsRepository, AttachmentLinks],
  exports: [AttachmentsRepository, AttachmentLinks],
})
export class AttachmentLinksModule {}
