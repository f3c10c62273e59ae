// What the admin side tells the rest of the system about. The mail outbox
// listens: administrators are emailed when an operator edits their private
// profile (seed 000) — the fields' names only, never their values.
import type { Clock } from '../core/clock.js';
import type { Db } from '../db/pool.js';
import type { Agent } from '../db/repos/agents.js';
import { companySettings } from '../db/repos/company-settings.js';
import type { Logger } from '../log.js';
import type { MailService } from '../mail/index.js';

export interface AdminEvents {
  profileEdited(agent: Agent, fields: string[]): Promise<void>;
}

/** Figures other parts contribute to the billing usage (the mail outbox: emails sent against the quota). */
export interface UsageSources {
  emails(): Promise<Record<string, unknown>>;
}

export function adminEvents(db: Db, mail: MailService, clock: Clock, log: Logger): AdminEvents {
  return {
    async profileEdited(agent, fields) {
      const to = (await mail.administrators()).filter((r) => r.address.toLowerCase() !== agent.email?.toLowerCase());
      if (to.length === 0) return;
      const company = await companySettings(db);
      await mail.enqueue('profile-edited', {
        profile: { company: { companyName: company.name, contactEmail: company.contactEmail } },
        agent: { name: agent.name, jid: agent.jid }, editedBy: { name: agent.name },
        changed: fields.map((f) => (f === 'currentPassword' ? 'password' : f)).filter((f, i, a) => a.indexOf(f) === i),
        at: new Date(clock.now()).toISOString(),
      }, to).catch((e: Error) => log.warn(`profile-edited email not queued: ${e.message}`));
    },
  };
}
