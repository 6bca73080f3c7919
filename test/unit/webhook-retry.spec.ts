import { retryDelayMs } from '../../src/webhooks/retry-schedule';

const POLICY = { baseMs: 10_000, maxMs: 3_600_000 };

describe('webhook retry schedule', () => {
  it('waits about 10 s after the first failure, then doubles', () => {
    // random 0: no jitter. 10 s × 2^(n−1).
    expect(retryDelayMs(1, POLICY, 0)).toBe(10_000);
    expect(retryDelayMs(2, POLICY, 0)).toBe(20_000);
    expect(retryDelayMs(3, POLICY, 0)).toBe(40_000);
    expect(retryDelayMs(9, POLICY, 0)).toBe(2_560_000); // 10 s × 256 = 42 min 40 s
  });

  it('stops doubling at one hour', () => {
    // 10 s × 512 = 85 min 20 s > 60 min: capped.
    expect(retryDelayMs(10, POLICY, 0)).toBe(3_600_000);
    expect(retryDelayMs(40, POLICY, 0)).toBe(3_600_000);
    expect(retryDelayMs(10_000, POLICY, 0)).toBe(3_600_000);
  });

  it('shortens each wait by up to a fifth at random, never beyond the cap', () => {
    // random 0.5: 10 % shorter; random → 1: almost 20 % shorter.
    expect(retryDelayMs(1, POLICY, 0.5)).toBe(9_000);
    expect(retryDelayMs(1, POLICY, 0.999)).toBe(8_002);
    expect(retryDelayMs(12, POLICY, 0.5)).toBe(3_240_000);
  });

  it('needs 38 attempts to span 24 h even when every wait is a fifth short', () => {
    // Waits 8, 16, …, 2048 s (attempts 1–9) sum to 8 × (2^9 − 1) = 4088 s; from attempt 10 on,
    // 3600 s × 0.8 = 2880 s each: (86 400 − 4088) / 2880 = 28.6, so 29 more: 38 in all.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 24 * 3_600_000) {
      attempts += 1;
      elapsed += retryDelayMs(attempts, POLICY, 0.999999);
    }
    expect(attempts).toBe(38);
  });
});
