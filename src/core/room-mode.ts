// Whether a room takes chats now (seed 002 "Chat Website"): outside its working
// hours, or with its limit of concurrent sessions reached, it is offline — the
// customer page shows the leave-a-note form instead of the chat; in hours but
// with no agent at all who could answer it is "unmanaged" — the customer may
// still wait, and is told what else they can do. Pure: the caller counts.
import { AppError } from './errors.js';

export type RoomMode = 'online' | 'offline' | 'unmanaged';
export type OfflineReason = 'closed' | 'full';
export type ModeReason = OfflineReason | 'no_agents';

export interface ModeInput {
  /** Within working hours now. */
  open: boolean;
  /** The room's limit; 0 = none. */
  maxConcurrentSessions: number;
  /** The room's chats waiting or active now. */
  openSessions: number;
  /** Agents who could be offered one of its chats now (available presence). */
  agentsAvailable: number;
}

export interface Availability { mode: RoomMode; reason: ModeReason | null }

export function isFull(maxConcurrentSessions: number, openSessions: number): boolean {
  return maxConcurrentSessions > 0 && openSessions >= maxConcurrentSessions;
}

export function roomMode(i: ModeInput): Availability {
  if (!i.open) return { mode: 'offline', reason: 'closed' };
  if (isFull(i.maxConcurrentSessions, i.openSessions)) return { mode: 'offline', reason: 'full' };
  if (i.agentsAvailable <= 0) return { mode: 'unmanaged', reason: 'no_agents' };
  return { mode: 'online', reason: null };
}

/** Starting a chat in an offline room: HTTP 409 with `reason` ("closed" or "full"); a note is still welcome. */
export class RoomOfflineError extends AppError {
  constructor(readonly reason: OfflineReason, message: string) { super('conflict', `room: ${message}`, 'room'); }
}
