// The public REST API the page talks to (same origin).

import type { UploadPolicy } from './upload.js';
import type { FieldType, FormField as StoredField, Theme } from '../../src/core/room-settings.js';
import { pageContext } from './page-context.js';

export type { FieldType, Theme };

/** One field of the room's form builder, as the server sends it (visible ones only, in order). */
export type FormField = Omit<StoredField, 'order' | 'hidden'>;

export interface RoomPublic {
  slug: string;
  name: string;
  agentLabel: string;
  welcomeMessage: string;
  open: boolean;
  form: { theme: Theme | null; logoUrl: string | null; header: string; subHeader: string; fields: FormField[] };
  buttons: { chat: boolean; email: boolean; voice: boolean; video: boolean };
  /** While nobody answers: leave an email message (a note), ask for an email alert. */
  interactions: { leaveEmail: boolean; addAlert: boolean };
  hideTypingPreview: boolean;
  companyName: string | null;
  /** Files in the chat (XEP-0363), when the server offers them. */
  upload: UploadPolicy | null;
  /** Departments the visitor may choose (empty: no choice). */
  departments: Array<{ id: string; name: string }>;
}

/** What the page needs to reach and leave the conversation's MUC room. */
export interface ConversationTicket {
  id: string;
  roomJid: string;
  password: string;
  nick: string;
  customerToken: string;
  websocketPath: string;
  guestDomain: string;
  /** A returning customer waiting for the agent who served them may ask all agents. */
  askAll?: boolean;
}

/** A submission: one value per field id. */
export type ContactForm = Record<string, string | number | boolean | string[]>;

/** A refusal from the server; `field` names the form field at fault, if any. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

export async function getRoom(slug: string): Promise<RoomPublic> {
  const res = await fetch(`/api/v1/rooms/${encodeURIComponent(slug)}/public`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw await toError(res);
  return asRoom(await res.json() as Partial<RoomPublic>);
}

const TYPES: readonly string[] = ['label', 'select', 'text', 'number', 'email', 'textarea', 'radio', 'checkboxes', 'agreement', 'attachment'];
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);

/** Whatever the server leaves out takes a harmless default, never a crash. */
function asRoom(r: Partial<RoomPublic>): RoomPublic {
  const form = (r.form ?? {}) as Partial<RoomPublic['form']>;
  const fields = (Array.isArray(form.fields) ? form.fields : [])
    .filter((f): f is FormField => typeof f?.id === 'string' && TYPES.includes(f.type))
    .map((f) => ({ ...f, label: str(f.label, f.id), mandatory: f.mandatory === true, options: Array.isArray(f.options) ? f.options.filter((o) => typeof o === 'string') : undefined }));
  return {
    slug: str(r.slug), name: str(r.name, 'Chat'), agentLabel: str(r.agentLabel, 'Agent'), welcomeMessage: str(r.welcomeMessage), open: r.open !== false,
    form: { theme: form.theme ?? null, logoUrl: typeof form.logoUrl === 'string' ? form.logoUrl : null, header: str(form.header), subHeader: str(form.subHeader), fields },
    buttons: { chat: r.buttons?.chat !== false, email: r.buttons?.email === true, voice: r.buttons?.voice === true, video: r.buttons?.video === true },
    interactions: { leaveEmail: r.interactions?.leaveEmail === true, addAlert: r.interactions?.addAlert === true },
    hideTypingPreview: r.hideTypingPreview === true,
    companyName: typeof r.companyName === 'string' ? r.companyName : null,
    upload: asUpload(r.upload),
    departments: (Array.isArray(r.departments) ? r.departments : []).filter((d) => typeof d?.id === 'string' && typeof d.name === 'string'),
  };
}

function asUpload(u: unknown): UploadPolicy | null {
  const v = u as Partial<UploadPolicy> | null | undefined;
  if (!v || typeof v.service !== 'string' || !v.service) return null;
  const n = (x: unknown, d: number) => (typeof x === 'number' && x > 0 ? x : d);
  return { service: v.service, maxFiles: n(v.maxFiles, 5), maxBytes: n(v.maxBytes, 10 * 1024 * 1024), accept: Array.isArray(v.accept) ? v.accept.filter((a) => typeof a === 'string') : [] };
}

/** `identity`: a verified identity the company's site signed, sent along for the server to check. */
export async function createConversation(slug: string, form: ContactForm, identity?: object): Promise<ConversationTicket> {
  const res = await fetch(`/api/v1/rooms/${encodeURIComponent(slug)}/conversations`, {
    method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ ...form, context: pageContext(), ...(identity ? { identity } : {}) }),
  });
  if (res.status !== 201) throw await toError(res);
  return await res.json() as ConversationTicket;
}

/** Leave a note instead of chatting (answered by email); the same form, checked the same way. */
export async function leaveNote(slug: string, form: ContactForm, identity?: object): Promise<void> {
  const res = await fetch(`/api/v1/rooms/${encodeURIComponent(slug)}/notes`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(identity ? { ...form, identity } : form) });
  if (res.status !== 201) throw await toError(res);
}

/** A call the customer makes about their conversation, with its token. */
async function asCustomer(ticket: ConversationTicket, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ticket.customerToken}`, ...(body === undefined ? {} : JSON_HEADERS) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await toError(res);
  return res;
}

export async function requestTranscript(ticket: ConversationTicket, email?: string): Promise<void> {
  await asCustomer(ticket, 'transcript', email ? { email } : {});
}

export async function addAlert(ticket: ConversationTicket, email?: string): Promise<void> {
  await asCustomer(ticket, 'alert', email ? { email } : {});
}

export async function rate(ticket: ConversationTicket, rating: { score: number; comment?: string }): Promise<void> {
  await asCustomer(ticket, 'rating', rating);
}

export async function agentsOf(ticket: ConversationTicket): Promise<Array<{ nick: string; avatarUrl: string | null }>> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/agents`, { headers: { Authorization: `Bearer ${ticket.customerToken}`, Accept: 'application/json' } });
  if (!res.ok) throw await toError(res);
  return ((await res.json()) as { agents: Array<{ nick: string; avatarUrl: string | null }> }).agents;
}

export async function queueOf(ticket: ConversationTicket): Promise<{ position: number | null; estimatedWaitSeconds: number | null }> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/queue`, { headers: { Authorization: `Bearer ${ticket.customerToken}`, Accept: 'application/json' } });
  if (!res.ok) throw await toError(res);
  return await res.json() as { position: number | null; estimatedWaitSeconds: number | null };
}

export async function endConversation(ticket: ConversationTicket): Promise<void> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/end`, {
    method: 'POST', headers: { Authorization: `Bearer ${ticket.customerToken}` },
  });
  if (!res.ok) throw await toError(res);
}

/** "Ask all agents": offer the chat to everyone, not only the agent who served the customer before. */
export async function askAllAgents(ticket: ConversationTicket): Promise<void> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/ask-all`, {
    method: 'POST', headers: { Authorization: `Bearer ${ticket.customerToken}` },
  });
  if (!res.ok) throw await toError(res);
}

async function toError(res: Response): Promise<ApiError> {
  let body: { message?: unknown; field?: unknown } = {};
  try { body = await res.json() as typeof body; } catch { /* not JSON: keep the status text */ }
  const message = typeof body.message === 'string' ? body.message : res.statusText;
  const field = typeof body.field === 'string' ? body.field : undefined;
  return new ApiError(res.status, message, field);
}
