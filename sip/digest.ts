// Digest credentials (RFC 2617 §3.2.2.2, as used by SIP, RFC 3261 §22.4).
import { createHash, randomBytes } from 'node:crypto';

/** HA1 = MD5(username ":" realm ":" password), what Kamailio checks a response against. */
export function sipHa1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');
}

/**
 * The HA1 to give Kamailio for an auth request. An unknown user (or one with
 * no SIP password) gets a random one, so the request fails exactly like a
 * wrong password: same answers, same path, nothing to tell them apart.
 */
export function ha1ForRequest(known: { ha1: string | null; password: string | null; username: string } | null, realm: string): string {
  if (known?.ha1) return known.ha1;
  if (known?.password) return sipHa1(known.username, realm, known.password);
  return randomBytes(16).toString('hex');
}
