// Micro-benchmark of the queue planner alone (src/core/queue.ts planOffers),
// against the planner as it was before (test/unit/queue-reference.ts), on
// synthetic states of 1,000 agents and 50 / 1,000 / 3,000 waiting chats:
//   steady  agents hold 0–2 chats (maxChats 3); older chats hold ringLimit (3)
//           pending offers while slots last, the newest 20 none (the routing bench's state)
//   scarce  the same with 20 slots freed since (claims, closes): a long queue, a few free agents
//   refused agents hold 0–2 chats; every chat was refused by (timed out at) 3 agents, none pending
//   full    every slot is taken by chats and pending offers (nothing can be offered)
//   idle    every agent free, nothing pending (a burst after a quiet spell)
//   node dist/bench/planner.js [--agents 1000] [--runs 7] [--waiting 50,1000,3000]
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { planOffers, type AgentState, type Plan, type WaitingConversation } from '../src/core/queue.js';
import { referencePlanOffers } from '../test/unit/queue-reference.js';
import { cpuBusyOthers, numOption } from './lib.js';

const AGENTS = Math.floor(numOption('agents', 'BENCH_AGENTS', 1000));
const RUNS = Math.max(1, Math.floor(numOption('runs', 'BENCH_RUNS', 7)));
const WAITING = (process.argv.includes('--waiting') ? process.argv[process.argv.indexOf('--waiting') + 1]! : '50,1000,3000').split(',').map(Number);
const NOW = 1_800_000_000_000;
const RING_LIMIT = 3;

/** A small seeded generator, so both planners see the same state and runs repeat. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

type Scenario = 'steady' | 'scarce' | 'refused' | 'full' | 'idle';

function state(kind: Scenario, waitingCount: number): { agents: AgentState[]; waiting: WaitingConversation[] } {
  const rand = rng(waitingCount * 7 + kind.length);
  const agents: AgentState[] = Array.from({ length: AGENTS }, (_, i) => {
    const active = kind === 'idle' ? 0 : kind === 'full' ? Math.floor(rand() * 4) : Math.floor(rand() * 3);
    return { id: `agent-${String(i).padStart(5, '0')}`, available: true, maxChats: 3, active, pending: 0, idleSince: active === 0 ? NOW - Math.floor(rand() * 600_000) : null };
  });
  const waiting: WaitingConversation[] = Array.from({ length: waitingCount }, (_, i) => ({
    id: `conv-${String(i).padStart(6, '0')}`, roomId: 'room-general', createdAt: NOW - (waitingCount - i) * 5, strategy: 'quickest-reply',
    reofferAfterMs: 30_000, ringLimit: RING_LIMIT, pendingAgents: new Set<string>(), refusedBy: new Map<string, number>(), queuedAt: NOW - (waitingCount - i) * 5,
    rules: { departmentId: null, urlRouteAgents: null, ownerAgentId: null, stickyAgentId: null, askAllAt: null, tierDelayMs: 0, includeMobileAgents: true },
  }));
  const withRoom = () => agents.filter((a) => a.active + a.pending < a.maxChats);
  if (kind === 'steady' || kind === 'scarce') {
    // Offers as earlier dispatches left them: oldest chats first, up to ringLimit each, while slots last.
    for (const w of waiting.slice(0, Math.max(0, waiting.length - 20))) {
      const open = withRoom();
      for (let k = 0; k < RING_LIMIT && open.length > 0; k++) {
        const a = open.splice(Math.floor(rand() * open.length), 1)[0]!;
        a.pending++;
        (w.pendingAgents as Set<string>).add(a.id);
      }
    }
  }
  // A few claims or closes since: 20 agents have one slot again.
  if (kind === 'scarce') for (const a of agents.filter((x) => x.active > 0).slice(0, 20)) a.active--;
  // Offers timed out (agents slow to join): each chat was refused by three agents, none pending.
  if (kind === 'refused') for (const w of waiting) for (let k = 0; k < 3; k++) (w.refusedBy as Map<string, number>).set(agents[Math.floor(rand() * agents.length)]!.id, NOW - 20_000);
  if (kind === 'full') for (const a of agents) a.pending = a.maxChats - a.active;
  return { agents, waiting };
}

function time(plan: (w: readonly WaitingConversation[], a: readonly AgentState[], now: number) => Plan, s: ReturnType<typeof state>): { ms: number; result: Plan } {
  let result = plan(s.waiting, s.agents, NOW); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = plan(s.waiting, s.agents, NOW);
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

const f = (ms: number) => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(8);
const busy = cpuBusyOthers();
const lines = [
  '',
  `=== Queue planner micro-benchmark: ${AGENTS} agents (maxChats 3), room ringLimit ${RING_LIMIT}, quickest-reply; median of ${RUNS} runs ===`,
  'scenario  waiting   free slots   offers   before (ms)   after (ms)   speed-up   same plan',
];
for (const kind of ['steady', 'scarce', 'refused', 'full', 'idle'] as const) {
  for (const n of WAITING) {
    const s = state(kind, n);
    const free = s.agents.reduce((sum, a) => sum + Math.max(0, a.maxChats - a.active - a.pending), 0);
    const before = time(referencePlanOffers, s);
    const after = time(planOffers, s);
    const same = isDeepStrictEqual(before.result, after.result);
    lines.push(`${kind.padEnd(8)}  ${String(n).padStart(7)}   ${String(free).padStart(10)}   ${String(after.result.offers.length).padStart(6)}      ${f(before.ms)}     ${f(after.ms)}   ${(before.ms / after.ms).toFixed(0).padStart(7)}×   ${same ? 'yes' : 'NO'}`);
  }
}
lines.push(`other processes took ${busy()} during the run (this machine may be shared)`);
process.stdout.write(lines.join('\n') + '\n');
