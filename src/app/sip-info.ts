// SIP info: what an operator types into a stock SIP client (seed 004). The
// password is random (≥ 16 characters); the registrar keeps only HA1 =
// MD5(username:realm:password) for digest (RFC 2617 §3.2.2.2) next to it.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { SipSecrets } from '../db/repos/agents.js';
import type { Queryable } from '../db/pool.js';
import { secret } from './secrets.js';

export interface SipInfo {
  username: string; password: string; domain: string;
  registrar: string; proxy: string; transports: string[]; websocket: string;
}

export const ha1 = (username: string, realm: string, password: string) => createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');

export function sipDomain(cfg: Config): string { return cfg.sipDomain; }

/** New credentials for an operator whose JID local part is `local`; the HA1 is for the registrar's realm. */
export function newSipSecrets(cfg: Config, local: string): SipSecrets {
  const username = local.replace(/[^a-z0-9._-]/g, '') || 'agent';
  const password = secret(20);
  return { username, password, ha1: ha1(username, cfg.sipRealm, password) };
}

export function sipInfo(cfg: Config, s: SipSecrets): SipInfo {
  const domain = sipDomain(cfg);
  const host = `${cfg.sipInterface === '0.0.0.0' ? domain : cfg.sipInterface}:${cfg.sipPort}`;
  return {
    username: s.username, password: s.password, domain,
    registrar: `sip:${host}`, proxy: `sip:${host};lr`, transports: ['udp', 'tcp', 'ws'],
    websocket: `${cfg.publicUrl.replace(/^http/, 'ws')}/sip-ws`,
  };
}

/**
 * A new random SIP password for a live agent with SIP info (the username
 * stays), stored with its HA1 for the realm; null when there is no such agent.
 */
export async function renewSipPassword(db: Queryable, cfg: Config, agentId: string): Promise<SipSecrets | null> {
  const password = secret(20);
  const r = await db.query(`UPDATE agents SET sip_password = $2, sip_ha1 = md5(sip_username || ':' || $3 || ':' || $2), updated_at = now()
    WHERE id = $1 AND deleted_at IS NULL AND sip_username IS NOT NULL
    RETURNING sip_username AS username, sip_password AS password, sip_ha1 AS ha1`, [agentId, password, cfg.sipRealm]);
  return r.rows[0] ?? null;
}
