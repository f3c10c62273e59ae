// Passwords (scrypt), random secrets and token hashing.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number }) => Promise<Buffer>;
const N = 16384, R = 8, P = 1;

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(pw: string, stored: string | null): Promise<boolean> {
  const [alg, n, r, p, salt, key] = (stored ?? 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$').split('$');
  if (alg !== 'scrypt' || !salt || key === undefined) return false;
  const want = Buffer.from(key, 'base64url');
  const got = await scrypt(pw, Buffer.from(salt, 'base64url'), 32, { N: Number(n), r: Number(r), p: Number(p) });
  return want.length === got.length && timingSafeEqual(want, got) && stored !== null;
}

/** A random secret of `len` URL-safe characters. */
export const secret = (len = 24) => randomBytes(Math.ceil((len * 3) / 4)).toString('base64url').slice(0, len);
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
