import type { Attachment } from './attachments.repository';
import type { AttachmentResponse } from './dto/attachment.response';

export function toAttachmentResponse(attachment: Attachment): AttachmentResponse {
  return {
    id: attachment.id,
    ticketId: attachment.ticketId,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    sha256: attachment.sha256,
    visibility: attachment.visibility,
    createdAt: new Date(attachment.createdAt).toISOString(),
  };
}
