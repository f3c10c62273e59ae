// Digest credentials (RFC 2617 §3.2.2.2, as used by SIP, RFC 3261 §22.4).
// HA1 = MD5(username ":" realm ":" password) is what Kamailio checks a
// response against; agents' HA1 is made with their SIP info (src/app/sip-info.ts).
import { randomBytes } from 'node:crypto';
import { ha1 } from '../src/app/sip-info.js';

/**
 * The HA1 to give Kamailio for an auth request. An unknown user (or one with
 * no SIP password) gets a random one, so the request fails exactly like a
 * wrong password: same answers, same path, nothing to tell them apart.
 */
export function ha1ForRequest(known: { ha1: string | null; password: string | null; username: string } | null, realm: string): string {
  if (known?.ha1) return known.ha1;
  if (known?.password) return ha1(known.username, realm, known.password);
  return randomBytes(16).toString('hex');
}
