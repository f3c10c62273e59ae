// Pure helpers for SIP MESSAGE chat (RFC 3428): the conversation address an
// agent writes to, the From header we send with, bodies cut to the size a
// MESSAGE outside a media session may have, and what an agent's text means.

/** An agent writes to a conversation at sip:<MUC room node>@domain, e.g. sip:c-1f2e…@domain. */
export const CONVERSATION_ADDRESS = /^c-[0-9a-f]{20}$/;

/** RFC 3428 §8: at most 1300 bytes outside a media session; headers need room too. */
export const MAX_BODY_BYTES = 1000;

/** Splits on character boundaries into parts of at most `max` UTF-8 bytes. */
export function splitBody(text: string, max = MAX_BODY_BYTES): string[] {
  const parts: string[] = [];
  let cur = '';
  let size = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (size + n > max && cur) { parts.push(cur); cur = ''; size = 0; }
    cur += ch;
    size += n;
  }
  if (cur || parts.length === 0) parts.push(cur);
  return parts;
}

/** A From header value: the display name made safe for a quoted-string (RFC 3261 §25.1). */
export function fromHeader(displayName: string, user: string, domain: string): string {
  const name = Array.from(displayName.normalize('NFC')).filter((c) => c >= ' ' && c !== '"' && c !== '\\' && c !== '\u007f').join('').trim().slice(0, 60);
  return `${name ? `"${name}" ` : ''}<sip:${user}@${domain}>`;
}

export type AgentText =
  | { kind: 'decline' }
  | { kind: 'accept' }
  | { kind: 'command'; text: string }
  | { kind: 'message'; text: string };

/** What an agent's MESSAGE to a conversation means. Commands start with ! or / as in the MUC room. */
export function agentText(body: string): AgentText {
  const text = body.trim();
  const word = text.replace(/^[/!]/, '').toLowerCase();
  if (word === 'decline' || word === 'reject') return { kind: 'decline' };
  if (word === 'accept') return { kind: 'accept' };
  if (/^[/!]\S/.test(text) && !/^\/me\s/.test(text)) return { kind: 'command', text };
  return { kind: 'message', text };
}
