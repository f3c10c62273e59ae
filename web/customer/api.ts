// The public REST API the page talks to (same origin).

export const FIELDS = ['name', 'email', 'message'] as const;
export type FieldName = (typeof FIELDS)[number];

export interface FieldSettings { hidden: boolean; mandatory: boolean }

export interface RoomPublic {
  slug: string;
  name: string;
  agentLabel: string;
  form: Record<FieldName, FieldSettings>;
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
}

export type ContactForm = Partial<Record<FieldName, string>>;

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
  const room = await res.json() as RoomPublic;
  // A field the server leaves out is shown and optional, never a crash.
  const form = Object.fromEntries(FIELDS.map((f) => [f, { hidden: room.form?.[f]?.hidden === true, mandatory: room.form?.[f]?.mandatory === true }]));
  return { ...room, form: form as RoomPublic['form'] };
}

export async function createConversation(slug: string, form: ContactForm): Promise<ConversationTicket> {
  const res = await fetch(`/api/v1/rooms/${encodeURIComponent(slug)}/conversations`, {
    method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(form),
  });
  if (res.status !== 201) throw await toError(res);
  return await res.json() as ConversationTicket;
}

export async function endConversation(ticket: ConversationTicket): Promise<void> {
  const res = await fetch(`/api/v1/conversations/${encodeURIComponent(ticket.id)}/end`, {
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
