// Each strategy's top(n) (its first n, without sorting every candidate) is
// the start of its rank() on the same inputs: seeded random candidates,
// ties and missing keys included.
import { expect } from 'chai';
import { firstN } from '../../src/core/strategies/order.js';
import { STRATEGIES } from '../../src/core/strategies/index.js';
import type { Candidate, StrategyDef } from '../../src/core/strategies/types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function candidates(seed: number, n: number): Candidate[] {
  const r = rng(seed);
  const int = (k: number) => Math.floor(r() * k);
  // Few distinct values, so ties are common and the later keys and the given order decide.
  return Array.from({ length: n }, (_, i) => ({
    id: `agent-${String((i * 37) % 1000).padStart(3, '0')}`, active: int(3), pending: int(3), maxChats: int(4),
    idleSince: r() < 0.4 ? null : 1_000 * int(5), location: r() < 0.3 ? null : { lat: int(3) * 10, lon: int(3) * 10 },
  }));
}

describe('strategies: top(n) is the start of rank()', () => {
  for (const [name, def] of Object.entries(STRATEGIES) as Array<[string, StrategyDef]>) {
    it(name, () => {
      expect(def.top, `${name} has top`).to.be.a('function');
      for (let seed = 1; seed <= 300; seed++) {
        const cands = candidates(seed, 1 + (seed % 60));
        const conv = { id: 'c', roomId: 'r', createdAt: 0, location: seed % 3 ? { lat: 10, lon: 0 } : null, lastAgentId: seed % 4 ? `agent-${String(seed * 13 % 1000).padStart(3, '0')}` : null };
        const whole = def.rank(cands, conv, 5_000);
        for (const n of [0, 1, 2, 5, cands.length, cands.length + 3]) expect(def.top!(cands, conv, 5_000, n), `seed ${seed} n ${n}`).to.deep.equal(whole.slice(0, n));
      }
    });
  }

  it('firstN keeps the n first in order and leaves its input alone', () => {
    const xs = [5, 3, 9, 1, 3, 7];
    expect(firstN(3, xs, (a, b) => a - b)).to.deep.equal([1, 3, 3]);
    expect(firstN(0, xs, (a, b) => a - b)).to.deep.equal([]);
    expect(firstN(10, xs, (a, b) => a - b)).to.deep.equal([1, 3, 3, 5, 7, 9]);
    expect(xs).to.deep.equal([5, 3, 9, 1, 3, 7]);
  });
});
