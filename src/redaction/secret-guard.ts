import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { FieldError } from '../common/errors/app-error';
import type { Ticket } from '../tickets/ticket.types';
import { SYSTEM_ACTOR } from '../tickets/ticket.types';
import { priorityRank } from '../tickets/ticket-rules';
import type { TimelineEvent } from '../tickets/timeline';
import { TicketsRepository } from '../tickets/tickets.repository';
import { type NoticeDetails, redactionNotice } from './redaction-notice';
import { redactFields, type SecretKind } from './secret-redactor';
import { secretsInStructuredValues } from './structured-values';

export const SECRET_EXPOSED_TAG = 'secret-exposed';
/** Kinds that give control of funds: the ticket goes to security at high priority or more. */
const KEY_KINDS: SecretKind[] = ['mnemonic', 'private_key', 'wif', 'extended_private_key'];

export interface Inspected<T> {
  values: T;
  kinds: Partial<Record<SecretKind, number>>;
  redacted: boolean;
  /** A 64-hex value was taken for a private key only because nothing labelled it: pass it to `warn`. */
  unlabelledHexKey: boolean;
}

/**
 * What the desk does when a customer pastes a secret (SPEC §9): the text is redacted before it
 * is stored anywhere, the ticket is tagged and, for keys and seed phrases, raised to the security
 * group at high priority or more, and a public warning message is added in the ticket's locale.
 */
@Injectable()
export class SecretGuard {
  constructor(private readonly tickets: TicketsRepository) {}

  inspect<T extends Record<string, string>>(values: T): Inspected<T> {
    const result = redactFields(values);
    return {
      values: result.values as T,
      kinds: result.kinds,
      redacted: result.redacted,
      unlabelledHexKey: result.unlabelledHexKey,
    };
  }

  /**
   * Structured values are not rewritten (SPEC §12): a field or tag that holds a secret is a 400 on
   * it, whose message names the kind of secret and never echoes the value.
   */
  refuseInStructured(
    fields: Record<string, string | number>,
    tags: readonly string[] | undefined,
  ): FieldError[] {
    return secretsInStructuredValues(fields, tags);
  }

  async exposureChanges(
    manager: EntityManager,
    ticket: Ticket,
    kinds: Partial<Record<SecretKind, number>>,
  ): Promise<Partial<Ticket>> {
    const changes: Partial<Ticket> = {};
    if (!ticket.tags.includes(SECRET_EXPOSED_TAG)) changes.tags = [...ticket.tags, SECRET_EXPOSED_TAG];
    if (KEY_KINDS.some((kind) => kinds[kind])) {
      if (priorityRank(ticket.priority) < priorityRank('high')) changes.priority = 'high';
      const security = await this.tickets.groupForTier(manager, 'security', ticket.tier);
      if (security && security.id !== ticket.groupId)
        Object.assign(changes, { groupId: security.id, tier: security.tier });
    }
    return changes;
  }

  /**
   * Adds the public warning message; returns the timeline records (kinds and counts, never the
   * secret). `details.unlabelledHexKey` (from `inspect`) adds what to do if the hex was a TXID.
   */
  async warn(
    manager: EntityManager,
    ticket: Ticket,
    kinds: Partial<Record<SecretKind, number>>,
    now: Date,
    details: NoticeDetails = {},
  ): Promise<TimelineEvent[]> {
    const notice = redactionNotice(ticket.locale, Object.keys(kinds) as SecretKind[], details);
    const [message] = await manager.query(
      `INSERT INTO ticket_messages (ticket_id, author_id, author_role, body, visibility, created_at)
       VALUES ($1, 'system', 'system', $2, 'public', $3) RETURNING id`,
      [ticket.id, notice, now],
    );
    return [
      { type: 'ticket.redacted', actor: SYSTEM_ACTOR, data: { kinds } },
      {
        type: 'message.created',
        actor: SYSTEM_ACTOR,
        data: { messageId: message.id, visibility: 'public', authorRole: 'system' },
      },
    ];
  }
}
