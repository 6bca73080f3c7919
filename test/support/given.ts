import type { Session } from './test-app';

let sequence = 0;

/** A valid ticket body for each category; pass overrides for what a test is about. */
export function ticketBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    category: 'deposit_withdrawal',
    subcategory: 'deposit_not_credited',
    subject: `USDT deposit not credited #${sequence}`,
    description: 'I sent 150 USDT on TRON two hours ago and it is not in my balance.',
    fields: { currency: 'USDT', network: 'TRC20', amount: '150.00', orderId: `ORD-${sequence}` },
    ...overrides,
  };
}

/** Opens a ticket through the API and returns its response body. */
export async function openTicket(session: Session, overrides: Record<string, unknown> = {}) {
  const res = await session.post('/v1/tickets', ticketBody(overrides));
  if (res.status !== 201) throw new Error(`ticket not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
