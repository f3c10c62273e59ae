// A conversation's message archive read page by page (XEP-0313 on the MUC
// room, paged as XEP-0059 says): the filters narrow the stored lines, the page
// then takes up to `max` of them after or before a known one. Storage order
// (seq) is the archive's order; the message id is its XEP-0359 stanza-id.
import type { Queryable } from '../pool.js';
import type { StoredMessage } from './messages.js';

export interface ArchiveFilter {
  conversationId: string;
  /** Agents see private notes; customers never do. */
  includePrivate: boolean;
  start?: Date;
  end?: Date;
  /** Only lines after / before these stored ids (form fields after-id, before-id). */
  afterId?: string;
  beforeId?: string;
  /** Only these stored ids (form field ids). */
  ids?: string[];
  /** Only lines by this nick (a `with` naming an occupant JID). */
  nick?: string;
  /** Only lines by this bare real JID (a `with` naming a person; agents only). */
  senderBare?: string;
}

/** RSM (XEP-0059): `before` '' = the last page; `before` id = the page that ends just before it. */
export interface ArchivePaging { max: number; after?: string; before?: string }

export interface ArchivePage { items: StoredMessage[]; count: number; firstIndex: number | null; complete: boolean }

/** An id the query names that the requester's view of the archive does not hold. */
export class UnknownArchiveId extends Error {
  constructor(readonly id: string) { super(`no message ${id} in this archive`); }
}

const COLS = `id, seq::text AS seq, conversation_id AS "conversationId", sender_kind AS "senderKind", sender_nick AS "senderNick",
  sender_jid AS "senderJid", agent_id AS "agentId", body, origin_id AS "originId", private, created_at AS "createdAt", file_url AS "fileUrl"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The storage position of each id, all of which must be visible to the requester. */
async function positions(db: Queryable, f: ArchiveFilter, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  const bad = wanted.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new UnknownArchiveId(bad);
  if (wanted.length === 0) return new Map();
  const r = await db.query(`SELECT id::text AS id, seq::text AS seq FROM messages
    WHERE conversation_id = $1 AND id = ANY($2::uuid[]) AND ($3 OR NOT private)`, [f.conversationId, wanted, f.includePrivate]);
  const found = new Map<string, string>(r.rows.map((row) => [String(row.id).toLowerCase(), String(row.seq)]));
  const missing = wanted.find((id) => !found.has(id.toLowerCase()));
  if (missing !== undefined) throw new UnknownArchiveId(missing);
  return found;
}

export async function archivePage(db: Queryable, f: ArchiveFilter, p: ArchivePaging): Promise<ArchivePage> {
  const named = [f.afterId, f.beforeId, p.after, p.before || undefined].filter((x): x is string => x !== undefined);
  if (f.ids) f.ids.forEach((id) => { if (!UUID.test(id)) throw new UnknownArchiveId(id); });
  const seqs = await positions(db, f, named);
  const seqOf = (id: string | undefined) => (id === undefined || id === '' ? null : seqs.get(id.toLowerCase()) ?? null);
  const backwards = p.before !== undefined;
  const filter = `conversation_id = $1 AND ($2 OR NOT private)
      AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at <= $4)
      AND ($5::bigint IS NULL OR seq > $5) AND ($6::bigint IS NULL OR seq < $6)
      AND ($7::uuid[] IS NULL OR id = ANY($7::uuid[]))
      AND ($8::text IS NULL OR sender_nick = $8) AND ($9::text IS NULL OR split_part(sender_jid, '/', 1) = $9)`;
  const args = [f.conversationId, f.includePrivate, f.start ?? null, f.end ?? null, seqOf(f.afterId), seqOf(f.beforeId),
    f.ids ?? null, f.nick ?? null, f.senderBare ?? null];
  // One row more than the page shows: whether any is left beyond it.
  const r = await db.query(`WITH matching AS (
      SELECT ${COLS}, count(*) OVER () AS total, row_number() OVER (ORDER BY seq) - 1 AS idx FROM messages WHERE ${filter})
    SELECT * FROM matching WHERE ($10::bigint IS NULL OR seq::bigint > $10) AND ($11::bigint IS NULL OR seq::bigint < $11)
    ORDER BY seq::bigint ${backwards ? 'DESC' : 'ASC'} LIMIT $12`, [...args, seqOf(p.after), seqOf(p.before), p.max + 1]);
  const rows = r.rows as Array<StoredMessage & { total: string; idx: string }>;
  const more = rows.length > p.max;
  const page = rows.slice(0, p.max);
  if (backwards) page.reverse();
  let count: number;
  if (rows.length > 0) count = Number(rows[0]!.total);
  else count = Number((await db.query(`SELECT count(*) AS n FROM messages WHERE ${filter}`, args)).rows[0].n);
  const items = page.map(({ total: _t, idx: _i, ...m }) => m as StoredMessage);
  return { items, count, firstIndex: page.length ? Number(page[0]!.idx) : null, complete: !more };
}

/** The oldest and newest lines the requester may see (XEP-0313 archive metadata). */
export async function archiveEnds(db: Queryable, conversationId: string, includePrivate: boolean): Promise<{ first: StoredMessage; last: StoredMessage } | null> {
  const r = await db.query(`(SELECT ${COLS} FROM messages WHERE conversation_id = $1 AND ($2 OR NOT private) ORDER BY messages.seq ASC LIMIT 1)
    UNION ALL (SELECT ${COLS} FROM messages WHERE conversation_id = $1 AND ($2 OR NOT private) ORDER BY messages.seq DESC LIMIT 1)`, [conversationId, includePrivate]);
  return r.rows.length ? { first: r.rows[0], last: r.rows[r.rows.length - 1] } : null;
}
