import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments: one row per stored file, keyed by the id its bytes are stored under. The row keeps
 * the cleaned display name, the type decided from the bytes, size and SHA-256 of the stored bytes,
 * and who may see it. A deleted attachment keeps its row (the timeline and messages refer to it)
 * with `deleted_at` set; its bytes are gone.
 */
export class Attachments1763798400002 implements MigrationInterface {
  name = 'Attachments1763798400002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
        -- NO ACTION is checked at the end of the statement, so a ticket's cascade removes both;
        -- a message alone cannot be removed from under its attachments.
        message_id uuid REFERENCES ticket_messages (id) ON DELETE NO ACTION,
        uploader_id text NOT NULL CHECK (length(uploader_id) BETWEEN 1 AND 200),
        uploader_role text NOT NULL CHECK (uploader_role IN ('customer', 'agent', 'supervisor', 'admin')),
        filename text NOT NULL CHECK (octet_length(filename) BETWEEN 1 AND 255),
        content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp',
          'image/gif', 'application/pdf', 'video/mp4', 'text/plain; charset=utf-8')),
        size bigint NOT NULL CHECK (size > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        storage_key text NOT NULL UNIQUE CHECK (storage_key ~ '^[a-z0-9-]+(/[a-z0-9-]+)*$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        deleted_by text,
        CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
      )`);
    // The per-ticket count (at most 20 live) and listing; messages' attachmentIds.
    await q.query(
      `CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX attachments_message_idx ON attachments (message_id) WHERE message_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS attachments`);
  }
}
