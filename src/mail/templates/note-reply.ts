// (c) An agent answers a note (offline message): the reply goes to the customer,
// quoting what they wrote. Written by a person, so not marked auto-submitted.
import { formatWhen, multiline, Raw } from './engine.js';
import { obj, person, str, when, type TemplateDef, type WithProfile } from './def.js';

export interface NoteReplyData extends WithProfile {
  customer: { name: string };
  agent: { name: string };
  reply: string;
  /** The customer's note being answered. */
  note?: { message: string; receivedAt?: string };
}

const quoteStyle = 'border-left:3px solid #cbd2d9;padding-left:10px;color:#52606d';

export const noteReply: TemplateDef<NoteReplyData> = {
  schema: obj({ customer: person, agent: person, reply: str(20_000), note: obj({ message: str(10_000), receivedAt: when }, ['message']) }, ['customer', 'agent', 'reply']),
  autoSubmitted: false,
  body: `
        <mj-text>Hello {{name}},</mj-text>
        <mj-text>{{reply}}</mj-text>
        <mj-text>{{agent}}</mj-text>
        <mj-text>{{quote}}</mj-text>`,
  subject: (_d, s) => `Re: your message to ${s.companyName}`,
  preview: (d) => d.reply.slice(0, 120),
  vars: (d, s) => ({
    name: d.customer.name,
    reply: multiline(d.reply),
    agent: `— ${d.agent.name}, ${s.companyName}`,
    quote: d.note
      ? new Raw(`<div style="${quoteStyle}">${multiline(`You wrote${d.note.receivedAt ? ` on ${formatWhen(d.note.receivedAt)}` : ''}:\n${d.note.message}`).html}</div>`)
      : new Raw(''),
  }),
  text(d, s) {
    const lines = [`Hello ${d.customer.name},`, '', d.reply, '', `— ${d.agent.name}, ${s.companyName}`];
    if (d.note) {
      lines.push('', `You wrote${d.note.receivedAt ? ` on ${formatWhen(d.note.receivedAt)}` : ''}:`, ...d.note.message.split(/\r?\n/).map((l) => `> ${l}`));
    }
    return lines.join('\n');
  },
};
