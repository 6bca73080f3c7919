import type { Channel, Priority } from '../tickets/ticket-rules';

export interface PolicyConditions {
  priorities?: Priority[];
  categories?: string[];
  channels?: Channel[];
  minVip?: number;
}

/** What a policy is chosen by. */
export interface PolicyFacts {
  priority: Priority;
  category: string;
  channel: Channel;
  vip: number;
}

/** An absent condition matches everything; all present ones must match. */
export function policyMatches(conditions: PolicyConditions, facts: PolicyFacts): boolean {
  return (
    (conditions.priorities === undefined || conditions.priorities.includes(facts.priority)) &&
    (conditions.categories === undefined || conditions.categories.includes(facts.category)) &&
    (conditions.channels === undefined || conditions.channels.includes(facts.channel)) &&
    (conditions.minVip === undefined || facts.vip >= conditions.minVip)
  );
}

/** The policy with the lowest position whose conditions all match, if any. */
export function selectPolicy<P extends { position: number; conditions: PolicyConditions }>(
  policies: readonly P[],
  facts: PolicyFacts,
): P | undefined {
  return [...policies]
    .sort((a, b) => a.position - b.position)
    .find((policy) => policyMatches(policy.conditions, facts));
}
