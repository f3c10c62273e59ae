// (b) To the customer after they left a message: we have it, here is a copy.
import { multiline, rows } from './engine.js';
import { fields, obj, person, str, type Field, type TemplateDef, type WithProfile } from './def.js';

export interface OfflineConfirmationData extends WithProfile {
  customer: { name: string };
  message: string;
  fields?: Field[];
}

export const offlineConfirmation: TemplateDef<OfflineConfirmationData> = {
  schema: obj({ customer: person, message: str(10_000), fields }, ['customer', 'message']),
  autoSubmitted: true,
  body: `
        <mj-text>Hello {{name}},</mj-text>
        <mj-text>Thank you for your message. Nobody could answer right away; one of our team will reply to this address as soon as possible.</mj-text>
        <mj-text><strong>Your message</strong><br>{{message}}</mj-text>
        <mj-table>{{fields}}</mj-table>`,
  subject: (_d, s) => `We received your message — ${s.companyName}`,
  preview: () => 'Thank you for your message. We will reply as soon as possible.',
  vars: (d) => ({
    name: d.customer.name,
    message: multiline(d.message),
    fields: rows((d.fields ?? []).map((f) => [f.label, f.value] as const), ''),
  }),
  text(d) {
    const lines = [`Hello ${d.customer.name},`, '',
      'Thank you for your message. Nobody could answer right away; one of our team will reply to this address as soon as possible.',
      '', 'Your message:', d.message];
    if (d.fields?.length) lines.push('', ...d.fields.map((f) => `${f.label}: ${f.value}`));
    return lines.join('\n');
  },
};
