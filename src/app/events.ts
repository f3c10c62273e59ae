// What the admin side tells the rest of the system about. The mail outbox
// subscribes here (administrators are emailed when an operator edits their
// private profile, seed 000).
import type { Agent } from '../db/repos/agents.js';

export interface AdminEvents {
  profileEdited(agent: Agent, fields: string[]): Promise<void>;
}

export const noEvents: AdminEvents = { profileEdited: async () => {} };

/** Figures other parts contribute to the billing usage (the mail outbox: emails sent against the quota). */
export interface UsageSources {
  emails(): Promise<Record<string, unknown>>;
}
