import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../auth/roles';
import type { Visibility } from '../tickets/ticket-rules';
import type { AttachmentContentType } from './attachment-type';

export interface Attachment {
  id: string;
  ticketId: string;
  messageId: string | null;
  uploaderId: string;
  uploaderRole: Role;
  filename: string;
  contentType: AttachmentContentType;
  size: number;
  sha256: string;
  visibility: Visibility;
  storageKey: string;
  createdAt: Date;
}

export type NewAttachment = Omit<Attachment, 'messageId'>;

const COLUMNS = `a.id, a.ticket_id AS "ticketId", a.message_id AS "messageId", a.uploader_id AS "uploaderId",
  a.uploader_role AS "uploaderRole", a.filename, a.content_type AS "contentType", a.size, a.sha256, a.visibility,
  a.storage_key AS "storageKey", a.created_at AS "createdAt"`;

/** bigint arrives as a string; sizes are bounded by ATTACHMENT_MAX_BYTES, far below 2^53. */
function toAttachment(row: Omit<Attachment, 'size'> & { size: string | number }): Attachment {
  return { ...row, size: Number(row.size) };
}

/** Named queries over attachments. Inside a transaction every call takes that transaction's manager. */
@Injectable()
export class AttachmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A live attachment the viewer may reach: staff any; a customer (`requesterId`) only the public
   * ones of their own tickets.
   */
  async findForViewer(
    manager: EntityManager | undefined,
    id: string,
    requesterId: string | undefined,
  ): Promise<Attachment | undefined> {
    const [row] = await (manager ?? this.dataSource.manager).query(
      `SELECT ${COLUMNS} FROM attachments a JOIN tickets t ON t.id = a.ticket_id
       WHERE a.id = $1 AND a.deleted_at IS NULL
         AND ($2::text IS NULL OR (t.requester_id = $2 AND a.visibility = 'public'))`,
      [id, requesterId ?? null],
    );
    return row && toAttachment(row);
  }

  async countLive(manager: EntityManager | undefined, ticketId: string): Promise<number> {
    const [row] = await (manager ?? this.dataSource.manager).query(
      `SELECT count(*)::int AS count FROM attachments WHERE ticket_id = $1 AND deleted_at IS NULL`,
      [ticketId],
    );
    return row.count;
  }

  async insert(manager: EntityManager, attachment: NewAttachment): Promise<Attachment> {
    const [row] = await manager.query(
      `INSERT INTO attachments AS a (id, ticket_id, uploader_id, uploader_role, filename, content_type, size,
         sha256, visibility, storage_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING ${COLUMNS}`,
      [
        attachment.id,
        attachment.ticketId,
        attachment.uploaderId,
        attachment.uploaderRole,
        attachment.filename,
        attachment.contentType,
        attachment.size,
        attachment.sha256,
        attachment.visibility,
        attachment.storageKey,
        attachment.createdAt,
      ],
    );
    return toAttachment(row);
  }

  /** False when it was deleted already (by a concurrent request). */
  async markDeleted(manager: EntityManager, id: string, by: string, at: Date): Promise<boolean> {
    const [, affected]: [unknown[], number] = await manager.query(
      `UPDATE attachments SET deleted_at = $3, deleted_by = $2 WHERE id = $1 AND deleted_at IS NULL`,
      [id, by, at],
    );
    return affected > 0;
  }

  /**
   * Puts the live, not yet linked attachments of a ticket on a message, with the message's
   * visibility. `uploaderId` limits it to that uploader's files, unless `orStaffUploads` also
   * admits files uploaded by staff. Returns the ids that were linked.
   */
  async linkToMessage(
    manager: EntityManager,
    link: {
      ticketId: string;
      messageId: string;
      visibility: Visibility;
      ids: string[];
      uploaderId: string;
      orStaffUploads: boolean;
    },
  ): Promise<string[]> {
    // For an UPDATE … RETURNING, TypeORM answers [rows, affected count].
    const [rows]: [{ id: string }[], number] = await manager.query(
      `UPDATE attachments SET message_id = $2, visibility = $3
       WHERE id = ANY($4::uuid[]) AND ticket_id = $1 AND message_id IS NULL AND deleted_at IS NULL
         AND (uploader_id = $5 OR ($6::boolean AND uploader_role <> 'customer'))
       RETURNING id`,
      [link.ticketId, link.messageId, link.visibility, link.ids, link.uploaderId, link.orStaffUploads],
    );
    return rows.map((row) => row.id);
  }
}
