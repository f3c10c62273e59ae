// Files in the chat (XEP-0363 HTTP File Upload): check them against the room's
// limits, get a slot from the upload service, PUT the file, and hand back the
// URL to send. Pure checks first; the network part takes the connection.
import type { Element } from '@xmpp/client';
import type { Connection } from './connect.js';
import { NS, slotRequest } from './stanzas.js';
import { strings } from './strings.js';

export interface UploadPolicy { service: string; maxFiles: number; maxBytes: number; accept: string[] }

/** A file type specifier list as the form builder keeps it (".pdf", "image/*", "application/pdf"); empty = any. */
export function accepted(accept: readonly string[], file: { name: string; type: string }): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase(), type = file.type.toLowerCase();
  return accept.some((a) => {
    const s = a.toLowerCase();
    if (s.startsWith('.')) return name.endsWith(s);
    if (s.endsWith('/*')) return type.startsWith(s.slice(0, -1));
    return type === s;
  });
}

/** Why this file cannot join the `already` chosen ones, or ''. */
export function refusal(policy: UploadPolicy, already: number, file: { name: string; type: string; size: number }): string {
  if (already >= policy.maxFiles) return strings.fileTooMany(policy.maxFiles);
  if (file.size > policy.maxBytes) return strings.fileTooBig(file.name, policy.maxBytes);
  if (file.size === 0) return strings.fileEmpty(file.name);
  if (!accepted(policy.accept, file)) return strings.fileWrongType(file.name, policy.accept);
  return '';
}

/** Uploads one file; resolves with the URL others fetch it from. */
export async function upload(conn: Connection, service: string, file: File): Promise<string> {
  let result: Element;
  try {
    result = await conn.iq(slotRequest(service, file));
  } catch (err) {
    // XEP-0363 §5: the service says why (too large, quota…) in the error's text.
    const text = (err as { element?: Element }).element?.getChild('error')?.getChildText('text', NS.stanzas);
    throw new Error(text || strings.fileUploadFailed(file.name));
  }
  const slot = result.getChild('slot', NS.upload);
  const put = slot?.getChild('put')?.attrs.url;
  const get = slot?.getChild('get')?.attrs.url;
  if (!put || !get) throw new Error(strings.fileUploadFailed(file.name));
  // §4: only these headers may be passed on from the slot.
  const headers: Record<string, string> = { 'Content-Type': file.type || 'application/octet-stream' };
  for (const h of slot!.getChild('put')!.getChildren('header')) {
    const name = h.attrs.name ?? '';
    if (/^(authorization|cookie|expires)$/i.test(name)) headers[name] = h.getText();
  }
  const res = await fetch(put, { method: 'PUT', body: file, headers });
  if (!res.ok) {
    // The server holds the room's limits too (413 too large, 415 wrong type): its words say which.
    const why = await res.json().then((b: { message?: unknown }) => (typeof b?.message === 'string' ? b.message : ''), () => '');
    throw new Error(why || strings.fileUploadFailed(file.name));
  }
  return get;
}

/** A file's name from its URL (the last path segment). */
export function fileName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || url;
  } catch {
    return url;
  }
}

export const isImage = (name: string) => /\.(png|jpe?g|gif|webp|avif|bmp)$/i.test(name);
