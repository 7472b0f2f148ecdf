/**
 * A fixed one-second window per API key. `take` answers whether the
 * request may pass, the remaining allowance and, when refused, the seconds
 * to wait (Retry-After).
 */
export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { readonly startMs: number; count: number }>();

  constructor(private readonly nowMs: () => number) {}

  take(key: string, limitPerSecond: number): RateDecision {
    const now = this.nowMs();
    const windowStart = now - (now % 1_000);
    let window = this.windows.get(key);
    if (!window || window.startMs !== windowStart) {
      window = { startMs: windowStart, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.count < limitPerSecond;
    if (allowed) window.count++;
    return {
      allowed,
      limit: limitPerSecond,
      remaining: Math.max(0, limitPerSecond - window.count),
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 1_000 - now) / 1_000)),
    };
  }

  clear(): void {
    this.windows.clear();
  }
}
