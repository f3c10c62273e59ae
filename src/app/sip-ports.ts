// What the SIP side (sip/) may ask of the chat side: an agent's XMPP
// presence, a notice in a conversation's MUC room, the claim of a queued
// conversation by the agent who answered its call.
import type { Db } from '../db/pool.js';
import { conversationById } from '../db/repos/conversations.js';
import { notice } from '../../components/muc/message.js';
import { texts } from '../core/texts.js';
import type { MucService } from '../../components/muc/service.js';
import type { DeskService } from '../../components/desk/service.js';
import type { SipAppPorts } from '../../sip/handlers/types.js';
import type { AgentDirectory } from './agents.js';
import type { Routing } from './routing.js';

export function sipPorts(d: { db: Db; agents: AgentDirectory; desk: DeskService; muc: MucService; routing: Routing }): SipAppPorts {
  return {
    presence(agentId) {
      const jid = d.agents.byId(agentId)?.jid;
      if (!jid || !d.desk.presence.online(jid)) return 'offline';
      return d.desk.presence.available(jid) ? 'available' : 'away';
    },
    async tellConversation(conversationId, text) {
      const conv = await conversationById(d.db, conversationId);
      const room = conv && conv.status !== 'closed' ? await d.muc.room(conv.mucNode) : null;
      if (room) await notice(d.muc, room, text);
    },
    async claim(conversationId, agentId) {
      // The claim is guarded by the conversation's status: one that is not waiting is simply not claimed.
      const conv = await d.routing.claim(conversationId, agentId);
      if (!conv) return;
      // The agent answered on a phone and may never join the MUC room: the customer reads who it is.
      const room = await d.muc.room(conv.mucNode);
      const nick = d.agents.byId(agentId)?.nickname;
      if (room && nick) await notice(d.muc, room, texts.agentJoined(nick));
    },
  };
}
