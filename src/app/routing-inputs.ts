// What the planner needs to know about waiting conversations beyond their
// rows, gathered for a whole dispatch in a few statements, each only when a
// waiting conversation needs it: the eligibility rules (department, URL rule,
// private room, tiers, sticky agent), the customer's location and the room's
// round-robin rotation.
import type { EligibilityRules } from '../core/eligibility.js';
import type { WaitingConversation as View } from '../core/queue.js';
import { matchUrlRoute } from '../core/url-routing.js';
import type { Db } from '../db/pool.js';
import { previousAgents, type WaitingConversation } from '../db/repos/conversations.js';
import { rotations } from '../db/repos/offers.js';
import type { Room } from '../db/repos/rooms.js';
import { enabledUrlRoutes } from '../db/repos/url-routes.js';

export type Extras = Pick<View, 'queuedAt' | 'rules' | 'location' | 'lastAgentId'>;

export class RoutingInputs {
  /** The sticky agent of each waiting conversation: looked up once, not every dispatch. */
  private sticky = new Map<string, string | null>();

  constructor(private readonly db: Db, private readonly isAgent: (id: string) => boolean) {}

  async gather(waiting: readonly WaitingConversation[], roomOf: ReadonlyMap<string, Room>): Promise<Map<string, Extras>> {
    const ids = waiting.map((c) => c.id);
    const stickyRooms = waiting.filter((c) => roomOf.get(c.id)!.settings.stickyAgent);
    const unknown = stickyRooms.filter((c) => !this.sticky.has(c.id)).map((c) => c.id);
    const rrRooms = [...new Set(waiting.filter((c) => roomOf.get(c.id)!.settings.strategy === 'round-robin').map((c) => c.roomId))];
    const [previous, rotation] = await Promise.all([previousAgents(this.db, unknown), rotations(this.db, rrRooms)]);
    for (const [id, agent] of previous) this.sticky.set(id, agent);
    const live = new Set(ids);
    for (const id of this.sticky.keys()) if (!live.has(id)) this.sticky.delete(id);
    const urlRules = waiting.some((c) => c.pageUrl) ? await enabledUrlRoutes(this.db) : [];

    const out = new Map<string, Extras>();
    for (const c of waiting) {
      const room = roomOf.get(c.id)!;
      const s = room.settings;
      const stickyAgentId = s.stickyAgent ? this.sticky.get(c.id) ?? null : null;
      const rules: EligibilityRules = {
        departmentId: c.departmentId,
        urlRouteAgents: c.pageUrl ? matchUrlRoute(urlRules, c.pageUrl)?.agentIds ?? null : null,
        ownerAgentId: room.kind === 'private' ? room.ownerAgentId : null,
        stickyAgentId: stickyAgentId && this.isAgent(stickyAgentId) ? stickyAgentId : null,
        askAllAt: c.askAllAt,
        tierDelayMs: s.tierDelaySeconds * 1000,
        includeMobileAgents: s.includeMobileAgents,
      };
      out.set(c.id, {
        queuedAt: (c.customerJoinedAt ?? c.createdAt).getTime(), rules, location: c.latitude === null || c.longitude === null ? null : { lat: c.latitude, lon: c.longitude }, lastAgentId: rotation.get(c.roomId) ?? null,
      });
    }
    return out;
  }
}
