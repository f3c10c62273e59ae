// Pure helpers for SIP MESSAGE chat (RFC 3428): the conversation address an
// agent writes to, the From header we send with, bodies cut to the size a
// MESSAGE outside a media session may have, and what an agent's text means.

/** An agent writes to a conversation at sip:<MUC room node>@domain, e.g. sip:c-1f2e…@domain. */
export const CONVERSATION_ADDRESS = /^c-[0-9a-f]{20}$/;

/** The desk's address, sip:desk@domain: its notices come from there, its commands go there. */
export const DESK_ADDRESS = 'desk';

/**
 * RFC 3428 §8 allows 1300 bytes outside a media session, but stock clients
 * show less: baresip 1.0 prints an incoming MESSAGE on one line of at most
 * 511 bytes, its sender's URI included, and drops a longer one silently
 * (seen in the tests). 400 bytes leaves room for any conversation address.
 */
export const MAX_BODY_BYTES = 400;

/**
 * Cuts a text into parts of at most `max` UTF-8 bytes, on character
 * boundaries, at a line break where there is one (else at a space), so a
 * long list arrives as whole lines. The break itself is dropped.
 */
export function splitBody(text: string, max = MAX_BODY_BYTES): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  let size = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (size + n > max && cur.length) {
      const nl = cur.lastIndexOf('\n');
      const at = nl > 0 ? nl : cur.lastIndexOf(' ');
      const cut = at > 0 ? at : cur.length;
      parts.push(cur.slice(0, cut).join(''));
      cur = cur.slice(at > 0 ? cut + 1 : cut);
      size = Buffer.byteLength(cur.join(''));
    }
    cur.push(ch);
    size += n;
  }
  if (cur.length || parts.length === 0) parts.push(cur.join(''));
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
  if (word === 'accept' || (word === 'a' && /^[/!]/.test(text))) return { kind: 'accept' };
  if (/^[/!]\S/.test(text) && !/^\/me\s/.test(text)) return { kind: 'command', text };
  return { kind: 'message', text };
}
