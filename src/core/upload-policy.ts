// What a customer may send as files in a room's chat (issue 6): at most
// MAX_ATTACHMENTS per message; size and types from the room's attachment field
// in its form builder (hidden or not) when it has one, else the upload
// service's limit and any type. The page checks these before uploading; the
// upload service itself refuses anything above its own limit.
import { MAX_ATTACHMENTS } from './contact-form.js';
import { MAX_ATTACHMENT_BYTES, type RoomSettings } from './room-settings.js';

export interface UploadPolicy { service: string; maxFiles: number; maxBytes: number; accept: string[] }

export function uploadPolicy(settings: RoomSettings, service: string, serviceMaxBytes: number): UploadPolicy {
  const field = settings.form.fields.find((f) => f.type === 'attachment');
  const maxBytes = Math.min(field?.maxSizeBytes ?? MAX_ATTACHMENT_BYTES, serviceMaxBytes);
  return { service, maxFiles: MAX_ATTACHMENTS, maxBytes, accept: field?.accept ?? [] };
}
