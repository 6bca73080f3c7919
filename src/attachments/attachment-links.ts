import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isStaff, type Viewer } from '../auth/roles';
import { AppError } from '../common/errors/app-error';
import type { Visibility } from '../tickets/ticket-rules';
import { AttachmentsRepository } from './attachments.repository';

/**
 * Puts uploaded attachments on a new message (`attachmentIds`), in the message's transaction. Each
 * must be a live attachment of the ticket, on no message yet, uploaded by the caller (staff may
 * also use files other staff uploaded, never a customer's). It takes the message's visibility:
 * a file on an internal note becomes internal.
 */
@Injectable()
export class AttachmentLinks {
  constructor(private readonly attachments: AttachmentsRepository) {}

  async link(
    manager: EntityManager,
    viewer: Viewer,
    message: { id: string; ticketId: string; visibility: Visibility },
    attachmentIds: string[],
  ): Promise<string[]> {
    const ids = [...new Set(attachmentIds.map((id) => id.toLowerCase()))];
    const linked = await this.attachments.linkToMessage(manager, {
      ticketId: message.ticketId,
      messageId: message.id,
      visibility: message.visibility,
      ids,
      uploaderId: viewer.id,
      orStaffUploads: isStaff(viewer),
    });
    if (linked.length !== ids.length) {
      const missing = ids.filter((id) => !linked.includes(id));
      throw AppError.validation([
        {
          field: 'attachmentIds',
          message: `not attachments of yours on this ticket that are still free to attach: ${missing.join(', ')}`,
        },
      ]);
    }
    return ids;
  }
}
