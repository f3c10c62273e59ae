// (a) A customer left a message while nobody could answer (seeds 002, 004):
// to the room's offline recipients or its forward address. Replies go to the
// customer (seed 002: "the chat requestor's email address is … the sender").
import { invalid } from '../../core/errors.js';
import { button, EMPTY, formatWhen, join, link, multiline, Raw, rows } from './engine.js';
import { fields, httpUrl, list, obj, optEmail, str, text, when, type Field, type TemplateDef, type WithProfile } from './def.js';

export interface OfflineAttachment { filename: string; url?: string; path?: string; contentType?: string }

export interface OfflineMessageData extends WithProfile {
  room: { name: string };
  customer: { name: string; email?: string | null };
  message: string;
  fields?: Field[];
  /** Each has a `url` (shown as a link) or a `path` under the data dir (attached). */
  attachments?: OfflineAttachment[];
  receivedAt?: string;
  /** Where an agent opens the conversation to answer it. */
  conversationUrl?: string;
}

const attachment = obj({
  filename: str(255), url: httpUrl,
  path: { type: 'string', maxLength: 4096, pattern: '^/', 'x-message': 'must be an absolute file path' },
  contentType: { type: 'string', maxLength: 255, pattern: '^[\\w.+-]+/[\\w.+-]+$', 'x-message': 'must be a MIME type like application/pdf' },
}, ['filename']);

const who = (d: OfflineMessageData) => d.customer.email ? `${d.customer.name} <${d.customer.email}>` : d.customer.name;

function details(d: OfflineMessageData): Array<[string, string]> {
  const out: Array<[string, string]> = [['From', who(d)], ['Room', d.room.name]];
  if (d.receivedAt) out.push(['Received', formatWhen(d.receivedAt)]);
  for (const f of d.fields ?? []) out.push([f.label, f.value]);
  return out;
}

export const offlineMessage: TemplateDef<OfflineMessageData> = {
  schema: obj({
    room: obj({ name: str(200) }),
    customer: obj({ name: str(200), email: optEmail }, ['name']),
    message: str(10_000), fields, attachments: list(attachment, 20), receivedAt: when, conversationUrl: httpUrl,
  }, ['room', 'customer', 'message']),
  autoSubmitted: true,
  body: `
        <mj-text font-size="17px" font-weight="bold">{{heading}}</mj-text>
        <mj-table>{{details}}</mj-table>
        <mj-text><strong>Message</strong><br>{{message}}</mj-text>
        <mj-text>{{attachments}}</mj-text>
        <mj-text>{{action}}</mj-text>`,
  subject: (d) => `Offline message from ${d.customer.name} (${d.room.name})`,
  preview: (d) => d.message.slice(0, 120),
  vars(d) {
    const files = d.attachments ?? [];
    return {
      heading: `${d.customer.name} left a message in ${d.room.name} while nobody was available`,
      details: rows(details(d)),
      message: multiline(d.message),
      attachments: files.length
        ? join([new Raw('<strong>Attachments</strong>'), ...files.map((a) => a.url ? link(a.url, a.filename) : multiline(`${a.filename} (attached)`))])
        : EMPTY,
      action: d.conversationUrl ? button(d.conversationUrl, 'Open the conversation') : EMPTY,
    };
  },
  text(d) {
    const lines = [`${d.customer.name} left a message in ${d.room.name} while nobody was available.`, ''];
    for (const [k, v] of details(d)) lines.push(`${k}: ${v}`);
    lines.push('', 'Message:', d.message);
    const files = d.attachments ?? [];
    if (files.length) lines.push('', 'Attachments:', ...files.map((a) => a.url ? `- ${a.filename}: ${a.url}` : `- ${a.filename} (attached)`));
    if (d.conversationUrl) lines.push('', `Open the conversation: ${d.conversationUrl}`);
    return lines.join('\n');
  },
  replyTo: (d) => d.customer.email,
  check(d) {
    (d.attachments ?? []).forEach((a, i) => {
      if (!a.url === !a.path) throw invalid(`data.attachments[${i}]`, 'needs either a url (sent as a link) or a path (attached), not both');
    });
  },
};
