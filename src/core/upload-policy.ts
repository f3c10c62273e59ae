// What a customer may send as files in a room's chat (issue 6): at most
// MAX_ATTACHMENTS per message; size and types from the room's attachment field
// in its form builder (hidden or not) when it has one, else the upload
// service's limit and any type. The page checks these before uploading; the
// server checks them again at the upload (src/http/routes/uploads.ts) and the
// count per message in the MUC room, so a client that skips the page's
// checks is refused too.
import { MAX_ATTACHMENTS } from './contact-form.js';
import { MAX_ATTACHMENT_BYTES, type RoomSettings } from './room-settings.js';
import { uploadTexts } from './texts.js';

export interface UploadPolicy { service: string; maxFiles: number; maxBytes: number; accept: string[] }

export function uploadPolicy(settings: RoomSettings, service: string, serviceMaxBytes: number): UploadPolicy {
  const field = settings.form.fields.find((f) => f.type === 'attachment');
  const maxBytes = Math.min(field?.maxSizeBytes ?? MAX_ATTACHMENT_BYTES, serviceMaxBytes);
  return { service, maxFiles: MAX_ATTACHMENTS, maxBytes, accept: field?.accept ?? [] };
}

/** A file type specifier list as the form builder keeps it (".pdf", "image/*", "application/pdf"); empty = any. */
export function acceptsType(accept: readonly string[], file: { name: string; type: string }): boolean {
  if (accept.length === 0) return true;
  const name = file.name.toLowerCase(), type = file.type.toLowerCase().split(';')[0]!.trim();
  return accept.some((a) => {
    const s = a.toLowerCase();
    if (s.startsWith('.')) return name.endsWith(s);
    if (s.endsWith('/*')) return type.startsWith(s.slice(0, -1));
    return type === s;
  });
}

/** Why a room refuses this file (HTTP 413 too large, 415 wrong type), or null. */
export function uploadRefusal(policy: UploadPolicy, file: { name: string; type: string; size: number }): { status: 413 | 415; message: string } | null {
  if (file.size > policy.maxBytes) return { status: 413, message: uploadTexts.tooLarge(file.name, policy.maxBytes) };
  if (!acceptsType(policy.accept, file)) return { status: 415, message: uploadTexts.wrongType(file.name, policy.accept) };
  return null;
}
