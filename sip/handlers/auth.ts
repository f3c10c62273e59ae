// REGISTER digest (RFC 3261 §22.4): Kamailio suspended the request and asks
// for the user's HA1; the answer resumes it (route REGISTER_AUTH), where
// Kamailio checks the response, saves the contact or counts the failure.
import { ha1ForRequest } from '../digest.js';
import { credentialsByUsername } from '../store.js';
import { field, type Handler } from './types.js';

export const auth: Handler = async (ctx, msg) => {
  const tindex = field(msg, 'tindex', 'number');
  const tlabel = field(msg, 'tlabel', 'number');
  const user = field(msg, 'user', 'string');
  const known = await credentialsByUsername(ctx.db, user);
  return { type: 'auth', tindex, tlabel, ha1: ha1ForRequest(known, ctx.cfg.sipRealm) };
};
