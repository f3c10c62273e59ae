// What a handler of one evapi message type gets, and what it returns: the
// reply to send back to Kamailio (or null when the message needs none).
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/pool.js';
import type { Logger } from '../../src/log.js';
import type { EvapiMessage } from '../evapi/client.js';
import type { CallLog } from '../calls/log.js';
import type { SipChat } from '../chat/agent-chat.js';
import type { SipRegistry } from '../registry/registry.js';

/** What the SIP side asks of the rest of the application (chat rooms, presence, claims). */
export interface SipAppPorts {
  /** The agent's XMPP presence: away/xa/dnd means no calls either; offline leaves it to the SIP registration. */
  presence(agentId: string): 'available' | 'away' | 'offline';
  /** A notice from the conversation's MUC room, stored and shown to everyone in it. */
  tellConversation(conversationId: string, text: string): Promise<void>;
  /** The agent who answered a room call takes the conversation if it is still queued (the same claim as joining). */
  claim(conversationId: string, agentId: string): Promise<void>;
}

export const NO_APP: SipAppPorts = { presence: () => 'offline', tellConversation: async () => {}, claim: async () => {} };

export interface SipContext {
  db: Db; cfg: Config; log: Logger; registry: SipRegistry; calls: CallLog; app: SipAppPorts; chat: SipChat | null;
  /** Asks the agent's registered clients with OPTIONS what they take; false when Kamailio is not connected. */
  probe(username: string): boolean;
}

export type Handler = (ctx: SipContext, msg: EvapiMessage) => Promise<EvapiMessage | null>;

/** A field Kamailio must have sent, or a thrown error naming it. */
export function field<T extends 'string' | 'number'>(msg: EvapiMessage, name: string, type: T): T extends 'string' ? string : number {
  const v = msg[name];
  if (typeof v !== type) throw new Error(`evapi ${msg.type}: field "${name}" must be a ${type}`);
  return v as T extends 'string' ? string : number;
}

export const orNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
