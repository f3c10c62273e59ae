// Time comes in through a clock so session expiry and rate limits can be
// tested without sleeping.
export interface Clock { now(): number }

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t = Date.now()) {}
  now(): number { return this.t; }
  advance(ms: number): void { this.t += ms; }
}
