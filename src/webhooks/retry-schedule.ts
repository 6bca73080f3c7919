export interface RetryPolicy {
  /** Delay after the first failed attempt (SPEC §12: about 10 s). */
  baseMs: number;
  /** The delay stops doubling here (one hour). */
  maxMs: number;
}

/**
 * The wait after failed attempt number `attempt` (1-based): base × 2^(attempt−1), capped at the
 * maximum, then shortened by up to a fifth at random so endpoints that failed together do not
 * retry together. `random` is in [0, 1) (injected so the arithmetic is testable).
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  const ceiling = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  return Math.max(1, Math.round(ceiling * (1 - 0.2 * random)));
}
