// REGISTER digest (RFC 3261 §22.4): Kamailio suspended the request and asks
// for the user's HA1; the answer resumes it (route REGISTER_AUTH), where
// Kamailio checks the response, saves the contact or counts the failure.
// Kamailio keeps a known agent's HA1 for a while (htable "ha1"), so a
// re-REGISTER needs no round trip; SipControl.forget() drops it on change.
import { ha1ForRequest } from '../digest.js';
import { credentialsByUsername } from '../store.js';
import { field, type Handler } from './types.js';

export const auth: Handler = async (ctx, msg) => {
  const tindex = field(msg, 'tindex', 'number');
  const tlabel = field(msg, 'tlabel', 'number');
  const user = field(msg, 'user', 'string');
  const known = await credentialsByUsername(ctx.db, user);
  // "cache": Kamailio keeps a real agent's HA1 for later REGISTERs (SipControl.forget drops it).
  return { type: 'auth', tindex, tlabel, ha1: ha1ForRequest(known, ctx.cfg.sipRealm), ...(known && (known.ha1 || known.password) ? { cache: user } : {}) };
};
