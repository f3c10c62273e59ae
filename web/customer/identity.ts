// Verified identity (seed 003): the company's site may open this page (or the
// widget's iframe) with #identity=<base64url JSON> — attributes it signed with
// the room's secret. The page keeps it for this tab, prefills the form with it
// and sends it with the form; only the server judges the signature.
export interface SignedIdentity { id?: string; name?: string; email?: string; ts: number; signature: string }

const key = (slug: string) => `switchboard:identity:${slug}`;

function decode(b64url: string): unknown {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Reads (and removes from the address bar) an identity handed over in the URL fragment. */
export function takeIdentity(slug: string): SignedIdentity | undefined {
  const m = /(?:^#|&)identity=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m?.[1]) {
    try {
      const v = decode(m[1]);
      if (typeof v === 'object' && v !== null) sessionStorage.setItem(key(slug), JSON.stringify(v));
    } catch { /* not ours or damaged: nothing to vouch for */ }
    history.replaceState(null, '', location.pathname + location.search);
  }
  try {
    const raw = sessionStorage.getItem(key(slug));
    return raw ? JSON.parse(raw) as SignedIdentity : undefined;
  } catch {
    return undefined;
  }
}
