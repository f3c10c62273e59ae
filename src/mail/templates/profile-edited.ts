// (f) To administrators when an agent's (operator's) private profile is edited
// and saved (seed 000). Names the changed fields, never their values: a
// password or SIP secret must not travel by email.
import { formatWhen, link, Raw, rows } from './engine.js';
import { httpUrl, list, obj, person, str, when, type TemplateDef, type WithProfile } from './def.js';

export interface ProfileEditedData extends WithProfile {
  agent: { name: string; jid: string };
  editedBy: { name: string };
  /** Names of the changed fields, e.g. ["email", "maxChats"]. */
  changed: string[];
  at: string;
  /** The agent's page in the admin pages. */
  adminUrl?: string;
}

function details(d: ProfileEditedData): Array<[string, string]> {
  return [['Agent', `${d.agent.name} (${d.agent.jid})`], ['Edited by', d.editedBy.name], ['When', formatWhen(d.at)], ['Changed', d.changed.join(', ') || '(nothing)']];
}

export const profileEdited: TemplateDef<ProfileEditedData> = {
  schema: obj({ agent: obj({ name: str(200), jid: str(3071) }), editedBy: person, changed: list(str(100), 100), at: when, adminUrl: httpUrl }, ['agent', 'editedBy', 'changed', 'at']),
  autoSubmitted: true,
  body: `
        <mj-text>The private profile of {{agent}} was edited and saved.</mj-text>
        <mj-table>{{details}}</mj-table>
        <mj-text>{{more}}</mj-text>`,
  subject: (d) => `Profile of ${d.agent.name} edited by ${d.editedBy.name}`,
  preview: (d) => `Changed: ${d.changed.join(', ')}`,
  vars: (d) => ({
    agent: d.agent.name,
    details: rows(details(d)),
    more: d.adminUrl ? new Raw(`See the profile: ${link(d.adminUrl, d.adminUrl).html}`) : 'If you did not expect this change, check the agent\'s profile in the admin pages.',
  }),
  text(d) {
    const lines = [`The private profile of ${d.agent.name} was edited and saved.`, '', ...details(d).map(([k, v]) => `${k}: ${v}`)];
    lines.push('', d.adminUrl ? `See the profile: ${d.adminUrl}` : 'If you did not expect this change, check the agent\'s profile in the admin pages.');
    return lines.join('\n');
  },
};
