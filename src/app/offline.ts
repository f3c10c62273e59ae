// The offline flows (issue 7, seeds 000/002/004): a customer leaves a note when
// nobody can answer — it becomes a conversation an agent answers later by
// email, and the chosen operators (and the room's forward address) get it by
// email with a confirmation to the customer; a waiting customer may ask for an
// email alert, sent when an agent becomes available; a customer may ask for
// the transcript (private notes never included).
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import { AppError, conflict, invalid } from '../core/errors.js';
import type { Db } from '../db/pool.js';
import { companySettings } from '../db/repos/company-settings.js';
import { addEvent, conversationById, type Conversation } from '../db/repos/conversations.js';
import { insertMessage } from '../db/repos/messages.js';
import { addAlert, alertedAgents, claimNote, markNote, offlineRecipientEmails, takeDueAlerts } from '../db/repos/notes.js';
import { roomById, roomBySlug, type Room } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { MailService } from '../mail/index.js';
import { isAddress } from '../mail/addresses.js';
import type { ProfileSource } from '../mail/types.js';
import type { Field, OfflineAttachment } from '../mail/templates/index.js';
import type { Attachment } from '../core/contact-form.js';
import type { Agent } from '../db/repos/agents.js';
import type { Conversations } from './conversations.js';
import { randomUUID } from 'node:crypto';

export const NOTE_MAX_CHARS = 2000;

export interface OfflineDeps { db: Db; cfg: Config; log: Logger; clock: Clock; mail: MailService; conversations: Conversations }

export class OfflineDesk {
  /**
   * False only after a look found no alert waiting and none was added since
   * (alerts are added here only): an agent freeing up, on every close, then
   * costs no statement.
   */
  private alertsMaybe = true;
  constructor(private readonly d: OfflineDeps) {}

  private async profile(room: Room): Promise<ProfileSource> {
    const company = await companySettings(this.d.db);
    return { room: room.settings.publicProfile, company: { companyName: company.name, contactEmail: company.contactEmail } };
  }

  /** A note left from the room's form: stored as a conversation, then emailed. */
  async leaveNote(slug: string, input: Record<string, unknown>): Promise<{ id: string }> {
    const message = typeof input.message === 'string' ? input.message.trim() : '';
    if (!message) throw invalid('message', 'write the message you want to leave');
    if (message.length > NOTE_MAX_CHARS) throw invalid('message', `must be at most ${NOTE_MAX_CHARS} characters`);
    if (typeof input.email !== 'string' || !input.email.trim()) throw invalid('email', 'is needed so that we can answer your message');
    // Checked as the outbox will check it, before anything is stored: a note must never be kept while its sender is told it failed.
    if (!isAddress(input.email.trim())) throw invalid('email', 'must be an email address we can write to, like name@example.com');
    // Seed 000: a room leaves the note out unless it offers the Email button or "leave an email message".
    const offered = await roomBySlug(this.d.db, slug);
    if (offered && !offered.settings.buttons.email && !offered.settings.interactions.leaveEmail) {
      throw new AppError('forbidden', 'slug: this room does not take messages; start a chat instead', 'slug');
    }
    const started = await this.d.conversations.start(slug, input, { note: true }); // a note is welcome when the room is offline
    await markNote(this.d.db, started.id);
    const conv = (await conversationById(this.d.db, started.id))!;
    const room = (await roomById(this.d.db, conv.roomId))!;
    await addEvent(this.d.db, conv.id, 'note_left', {});
    const profile = await this.profile(room);
    const { fields, attachments } = noteFields(room, ((await this.formOf(conv.id))?.fields ?? {}) as Record<string, unknown>);
    const forward = room.settings.offline?.forwardAddress;
    const to = this.writable([...(await offlineRecipientEmails(this.d.db)), ...(forward ? [{ name: '', address: forward }] : [])], `note ${conv.id}`);
    const customer = { name: conv.customerName, email: conv.customerEmail };
    if (to.length) {
      await this.d.mail.enqueue('offline-message', {
        profile, room: { name: room.settings.name }, customer, message, fields, attachments,
        receivedAt: conv.createdAt.toISOString(), conversationUrl: `${this.d.cfg.publicUrl}/api/v1/conversations/${conv.id}`,
      }, dedupe(to), { conversationId: conv.id });
    } else this.d.log.warn(`note ${conv.id}: no offline recipients configured; it waits in the conversations list`);
    await this.d.mail.enqueue('offline-confirmation', { profile, customer: { name: conv.customerName }, message, fields }, [conv.customerEmail!], { conversationId: conv.id });
    return { id: conv.id };
  }

  /** An agent answers a note by email; the first to answer owns it (guarded claim). */
  async reply(conversationId: string, agent: Agent, text: string): Promise<{ messageId: string }> {
    const conv = await conversationById(this.d.db, conversationId);
    if (!conv) throw new AppError('not_found', 'id: no such conversation', 'id');
    if (conv.channel !== 'note') throw conflict('id', 'this conversation is a chat, not a note: answer it in its room');
    if (conv.status === 'closed') throw new AppError('closed', 'id: this note is closed', 'id');
    if (!(await claimNote(this.d.db, conv.id, agent.id))) throw conflict('id', 'another agent has taken this note');
    const id = randomUUID();
    await insertMessage(this.d.db, { id, conversationId: conv.id, senderKind: 'agent', senderNick: agent.nickname, senderJid: agent.jid, agentId: agent.id, body: text, originId: null, private: false });
    await addEvent(this.d.db, conv.id, 'note_replied', { agent: agent.jid });
    const room = (await roomById(this.d.db, conv.roomId))!;
    if (!conv.customerEmail) throw invalid('email', 'the customer left no email address');
    await this.d.mail.enqueue('note-reply', {
      profile: await this.profile(room), customer: { name: conv.customerName }, agent: { name: agent.nickname }, reply: text,
      note: conv.firstMessage ? { message: conv.firstMessage, receivedAt: conv.createdAt.toISOString() } : undefined,
    }, [conv.customerEmail], { conversationId: conv.id });
    return { messageId: id };
  }

  /** "Add alert" while waiting (seed 000): agents who opted in are told a customer waits; the customer is emailed when an agent is free. */
  async addAlert(conv: Conversation, email: string | undefined): Promise<void> {
    const room = (await roomById(this.d.db, conv.roomId))!;
    if (!room.settings.interactions.addAlert) throw new AppError('forbidden', 'alert: this room does not offer email alerts', 'alert');
    if (conv.status !== 'queued') throw conflict('id', 'the conversation is no longer waiting');
    const address = email ?? conv.customerEmail;
    if (!address) throw invalid('email', 'give the address to alert');
    if (!isAddress(address)) throw invalid('email', 'the address from the form cannot receive email; give another');
    if (!(await addAlert(this.d.db, conv.id, address))) throw conflict('id', 'an alert is already set for this conversation');
    this.alertsMaybe = true;
    await addEvent(this.d.db, conv.id, 'alert_added', {});
    const agents = this.writable(await alertedAgents(this.d.db), `alert for ${conv.id}`);
    if (agents.length) {
      await this.d.mail.enqueue('agent-available', {
        profile: await this.profile(room), audience: 'agent', room: { name: room.settings.name }, customer: { name: conv.customerName },
        waitingSince: conv.createdAt.toISOString(),
      }, agents, { conversationId: conv.id });
    }
  }

  /**
   * An agent became available (came online, or closed a chat): email the
   * waiting customers who asked, once each. Not on Add Alert itself: a
   * customer still waiting then has found every available agent busy.
   */
  async agentAvailable(anyAvailable = false): Promise<void> {
    if (!anyAvailable || !this.alertsMaybe) return;
    this.alertsMaybe = false; // an alert added during the look sets it again
    let due;
    try { due = await takeDueAlerts(this.d.db); } catch (e) { this.alertsMaybe = true; throw e; }
    for (const a of due) {
      const room = (await roomById(this.d.db, a.roomId))!;
      await this.d.mail.enqueue('agent-available', {
        profile: await this.profile(room), audience: 'customer', room: { name: room.settings.name }, customer: { name: a.customerName },
        chatUrl: `${this.d.cfg.publicUrl}/c/${room.slug}`, waitingSince: a.createdAt.toISOString(),
      }, [a.email], { conversationId: a.conversationId }).catch((e: Error) => this.d.log.warn(`alert for ${a.conversationId}: ${e.message}`));
    }
  }

  async sendTranscript(conv: Conversation, email: string | undefined): Promise<number> {
    const room = (await roomById(this.d.db, conv.roomId))!;
    if (!email && conv.customerEmail && !isAddress(conv.customerEmail)) throw invalid('email', 'the address from the form cannot receive email; give another');
    const sent = await this.d.mail.sendTranscript(conv.id, { profile: await this.profile(room), to: email });
    await addEvent(this.d.db, conv.id, 'transcript_requested', {});
    return sent.length;
  }

  /**
   * Staff addresses the outbox would refuse (stored before addresses were
   * checked as strictly) are left out with a warning: one bad address must
   * not keep the email from the others.
   */
  private writable<T extends { address: string }>(list: T[], what: string): T[] {
    const bad = list.filter((r) => !isAddress(r.address));
    if (bad.length) this.d.log.warn(`${what}: not emailed to ${bad.map((r) => JSON.stringify(r.address)).join(', ')}: not a valid email address`);
    return list.filter((r) => isAddress(r.address));
  }

  private async formOf(id: string): Promise<Record<string, unknown> | null> {
    return (await this.d.db.query('SELECT form FROM conversations WHERE id = $1', [id])).rows[0]?.form ?? null;
  }
}

function labelOf(room: Room, id: string): string {
  return room.settings.form.fields.find((f) => f.id === id)?.label || id;
}

/**
 * The form's other answers as label/value rows, and the files of its
 * attachment fields (seed 002) as links to where they were uploaded: the row
 * names the files, the email lists each with its link.
 */
export function noteFields(room: Room, answers: Record<string, unknown>): { fields: Field[]; attachments: OfflineAttachment[] } {
  const fields: Field[] = [];
  const attachments: OfflineAttachment[] = [];
  for (const [id, v] of Object.entries(answers)) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (Array.isArray(v) && v.every(isUpload)) {
      const files = v.map((f) => ({ filename: f.name.trim() || 'file', url: f.url }));
      attachments.push(...files);
      fields.push({ label: labelOf(room, id), value: files.map((f) => f.filename).join(', ') });
    } else if (Array.isArray(v)) fields.push({ label: labelOf(room, id), value: v.map(String).join(', ') });
    else if (typeof v !== 'object') fields.push({ label: labelOf(room, id), value: typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v) });
  }
  return { fields, attachments };
}

function isUpload(x: unknown): x is Attachment {
  return typeof x === 'object' && x !== null && typeof (x as Attachment).url === 'string' && typeof (x as Attachment).name === 'string';
}

function dedupe<T extends { address: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => { const k = x.address.toLowerCase(); if (seen.has(k)) return false; seen.add(k); return true; });
}
