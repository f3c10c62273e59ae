// (d) Add Alert (seed 000): a waiting customer asked to be told by email when an
// agent frees up. `audience: 'customer'` — an agent is available now, come back;
// `audience: 'agent'` — to agents who opted in: this customer is waiting for one.
import { invalid } from '../../core/errors.js';
import { button, EMPTY, formatWhen, multiline } from './engine.js';
import { httpUrl, obj, person, str, when, type TemplateDef, type WithProfile } from './def.js';

export interface AgentAvailableData extends WithProfile {
  audience: 'customer' | 'agent';
  room: { name: string };
  customer: { name: string };
  /** The customer's way back to the chat (required for the customer). */
  chatUrl?: string;
  waitingSince?: string;
}

function lead(d: AgentAvailableData, companyName: string): string {
  if (d.audience === 'customer') {
    return `Hello ${d.customer.name},\n\nan agent of ${companyName} is available now. Come back to the chat and you will be answered.`;
  }
  const since = d.waitingSince ? ` since ${formatWhen(d.waitingSince)}` : '';
  return `${d.customer.name} has been waiting in ${d.room.name}${since} and asked to be told when an agent is available.\n\nSet yourself Available in your XMPP client to receive the chat.`;
}

export const agentAvailable: TemplateDef<AgentAvailableData> = {
  schema: obj({
    audience: { enum: ['customer', 'agent'], 'x-message': 'must be "customer" or "agent"' },
    room: obj({ name: str(200) }), customer: person, chatUrl: httpUrl, waitingSince: when,
  }, ['audience', 'room', 'customer']),
  autoSubmitted: true,
  body: `
        <mj-text font-size="17px" font-weight="bold">{{heading}}</mj-text>
        <mj-text>{{lead}}</mj-text>
        <mj-text>{{action}}</mj-text>`,
  subject: (d, s) => d.audience === 'customer'
    ? `An agent is available now — ${s.companyName}`
    : `${d.customer.name} is waiting for an agent in ${d.room.name}`,
  preview: (d, s) => lead(d, s.companyName).split('\n').at(-1)!,
  vars: (d, s) => ({
    heading: d.audience === 'customer' ? 'An agent is available now' : 'A customer is waiting',
    lead: multiline(lead(d, s.companyName)),
    action: d.chatUrl ? button(d.chatUrl, d.audience === 'customer' ? 'Return to the chat' : 'Open the room') : EMPTY,
  }),
  text(d, s) {
    const lines = [lead(d, s.companyName)];
    if (d.chatUrl) lines.push('', `${d.audience === 'customer' ? 'Return to the chat' : 'Open the room'}: ${d.chatUrl}`);
    return lines.join('\n');
  },
  check(d) {
    if (d.audience === 'customer' && !d.chatUrl) throw invalid('data.chatUrl', 'is required when the audience is the customer');
  },
};
