// (e) The transcript of a conversation, to the customer on request (seed 003).
// Its data comes from transcriptData(), which leaves agents' private notes out;
// the schema refuses any message field beyond these four (a stored row with its
// `private` flag cannot be passed through by mistake).
import { formatWhen, multiline, Raw } from './engine.js';
import { list, obj, person, str, text, when, type TemplateDef, type WithProfile } from './def.js';

export interface TranscriptLine { at: string; from: string; kind: 'customer' | 'agent' | 'system'; body: string }

export interface TranscriptData extends WithProfile {
  customer: { name: string };
  room: { name: string };
  startedAt: string;
  closedAt?: string | null;
  messages: TranscriptLine[];
}

const line = obj({ at: when, from: text(200), kind: { enum: ['customer', 'agent', 'system'], 'x-message': 'must be customer, agent or system' }, body: text(20_000) });

const TIME = 'width:1%;vertical-align:top;padding:6px 12px 6px 0;color:#6b7280;font-size:12px;white-space:nowrap';
const MSG = 'vertical-align:top;padding:6px 0';
const COLOR = { customer: '#0f766e', agent: '#1d4ed8', system: '#6b7280' } as const;

function messageRows(msgs: TranscriptLine[]): Raw {
  if (!msgs.length) return new Raw(`<tr><td style="${MSG}">No messages.</td></tr>`);
  return new Raw(msgs.map((m) => {
    const who = new Raw(`<strong style="color:${COLOR[m.kind]}">${multiline(m.from || 'Switchboard').html}</strong>`);
    return `<tr><td style="${TIME}">${multiline(formatWhen(m.at)).html}</td><td style="${MSG}">${who.html}<br>${multiline(m.body).html}</td></tr>`;
  }).join(''));
}

const period = (d: TranscriptData) => `${formatWhen(d.startedAt)}${d.closedAt ? ` – ${formatWhen(d.closedAt)}` : ''}`;

export const transcript: TemplateDef<TranscriptData> = {
  schema: obj({
    customer: person, room: obj({ name: str(200) }), startedAt: when,
    closedAt: { ...when, type: ['string', 'null'] }, messages: list(line, 10_000),
  }, ['customer', 'room', 'startedAt', 'messages']),
  autoSubmitted: true,
  body: `
        <mj-text>Hello {{name}},</mj-text>
        <mj-text>Here is the transcript of your conversation in {{room}} ({{period}}).</mj-text>
        <mj-table>{{messages}}</mj-table>`,
  subject: (_d, s) => `Transcript of your conversation with ${s.companyName}`,
  preview: (d) => `Your conversation in ${d.room.name}, ${period(d)}`,
  vars: (d) => ({ name: d.customer.name, room: d.room.name, period: period(d), messages: messageRows(d.messages) }),
  text(d) {
    const lines = [`Hello ${d.customer.name},`, '', `Here is the transcript of your conversation in ${d.room.name} (${period(d)}).`, ''];
    for (const m of d.messages) lines.push(`[${formatWhen(m.at)}] ${m.from || 'Switchboard'}:`, ...m.body.split(/\r?\n/).map((l) => `  ${l}`));
    if (!d.messages.length) lines.push('No messages.');
    return lines.join('\n');
  },
};
