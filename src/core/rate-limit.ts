// A sliding-window counter per key: at most `limit` hits within `windowMs`.
// Pure over the times it is given; the caller owns the clock.
export interface Verdict { allowed: boolean; retryAfterMs: number }

export class SlidingWindow {
  private hits = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Would one more hit at `now` be allowed? Does not record it. */
  check(key: string, now: number): Verdict {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return { allowed: true, retryAfterMs: 0 };
    return { allowed: false, retryAfterMs: recent[recent.length - this.limit]! + this.windowMs - now };
  }

  hit(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.hits.set(key, recent);
  }

  reset(key: string): void { this.hits.delete(key); }

  /** Drops keys with no hit inside the window (bounded memory under a spray of keys). */
  sweep(now: number): void {
    for (const [k, v] of this.hits) if (!v.some((t) => t > now - this.windowMs)) this.hits.delete(k);
  }

  get size(): number { return this.hits.size; }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }
}
