// SQL for the SIP side: agents' SIP credentials and the registrations mirror.
import type { Queryable } from '../src/db/pool.js';

export interface SipCredentials { agentId: string; username: string; ha1: string | null; password: string | null }

export async function credentialsByUsername(db: Queryable, username: string): Promise<SipCredentials | null> {
  const r = await db.query(`SELECT id AS "agentId", sip_username AS username, sip_ha1 AS ha1, sip_password AS password
    FROM agents WHERE sip_username = $1 AND deleted_at IS NULL`, [username]);
  return r.rows[0] ?? null;
}

export interface StoredContact {
  agentId: string; uri: string; expiresAt: Date; callId: string | null; received: string | null; userAgent: string | null; source: string | null;
  messages?: boolean;
}

/** Replaces an agent's contact set with what Kamailio holds now. */
export async function replaceContacts(db: Queryable, agentId: string, contacts: StoredContact[], boot: number): Promise<void> {
  await db.query(`WITH gone AS (DELETE FROM sip_registrations WHERE agent_id = $1 AND NOT (contact = ANY($2::text[])))
    INSERT INTO sip_registrations (agent_id, contact, expires_at, call_id, received, user_agent, source, kamailio_boot, accepts_message)
    SELECT $1, c.contact, c.expires_at, c.call_id, c.received, c.user_agent, c.source, $3, c.accepts_message
      FROM unnest($2::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])
        AS c(contact, expires_at, call_id, received, user_agent, source, accepts_message)
    ON CONFLICT (agent_id, contact) DO UPDATE SET expires_at = EXCLUDED.expires_at, call_id = EXCLUDED.call_id,
      received = EXCLUDED.received, user_agent = EXCLUDED.user_agent, source = EXCLUDED.source,
      kamailio_boot = EXCLUDED.kamailio_boot, accepts_message = EXCLUDED.accepts_message, updated_at = now()`,
  [agentId, contacts.map((c) => c.uri), boot, contacts.map((c) => c.expiresAt), contacts.map((c) => c.callId),
    contacts.map((c) => c.received), contacts.map((c) => c.userAgent), contacts.map((c) => c.source), contacts.map((c) => c.messages ?? null)]);
}

export async function deleteContacts(db: Queryable, keys: Array<{ agentId: string; uri: string }>): Promise<void> {
  if (!keys.length) return;
  await db.query(`DELETE FROM sip_registrations r USING unnest($1::uuid[], $2::text[]) AS k(agent_id, contact)
    WHERE r.agent_id = k.agent_id AND r.contact = k.contact`, [keys.map((k) => k.agentId), keys.map((k) => k.uri)]);
}

/** Drops the contacts of other Kamailio runs: that Kamailio's memory is gone. */
export async function forgetOtherBoots(db: Queryable, boot: number): Promise<void> {
  await db.query('DELETE FROM sip_registrations WHERE kamailio_boot <> $1', [boot]);
}

export async function loadContacts(db: Queryable): Promise<StoredContact[]> {
  const r = await db.query(`SELECT agent_id AS "agentId", contact AS uri, expires_at AS "expiresAt", call_id AS "callId",
    received, user_agent AS "userAgent", source, accepts_message AS messages FROM sip_registrations WHERE expires_at > now()`);
  return r.rows.map((x) => ({ ...x, messages: x.messages ?? undefined }));
}
