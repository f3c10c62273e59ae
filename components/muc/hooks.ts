// What the MUC service asks of the application (admission, claims, commands).
import type { Conversation } from '../../src/db/repos/conversations.js';
import type { Occupant, RoomState } from './state.js';

export interface JoinRequest { conversation: Conversation; realJid: string; nick: string; password: string | null }

export type Admission =
  | { ok: true; kind: 'customer' | 'agent'; agentId: string | null; nick: string; conversation: Conversation }
  | { ok: false; type: 'auth' | 'cancel' | 'modify' | 'wait'; condition: string; text: string };

export interface MucHooks {
  admit(req: JoinRequest): Promise<Admission>;
  joined(room: RoomState, occupant: Occupant): Promise<void>;
  /** A message from an occupant was stored (and is being fanned out). */
  stored?(room: RoomState, occupant: Occupant): void;
  left(room: RoomState, occupant: Occupant): Promise<void>;
  /** An agent's `/cmd` or `!cmd` text; never fanned out. */
  command(room: RoomState, occupant: Occupant, text: string): Promise<void>;
  /** XEP-0045 §7.8.2 decline of a mediated invitation. */
  declined(room: RoomState | null, conversation: Conversation, fromJid: string): Promise<void>;
}
