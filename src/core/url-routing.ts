// URL routing rules (seed 004): a chat started from a page that matches an
// enabled rule is offered only to that rule's operators.
//
// Pattern syntax: `host[:port][/path]`, compared case-insensitively; a leading
// http:// or https:// is accepted and ignored (both schemes match).
//
//   example.com            every page of example.com, any port
//   *.example.com          any subdomain of example.com (a.example.com, a.b.example.com),
//                          not example.com itself
//   example.com/help       /help and everything below it (/help/, /help/faq),
//                          but not /helpdesk: a path matches at a `/` boundary
//   example.com/help*      /help, /helpdesk, /help/faq …
//   example.com/*/pricing  `*` in the path matches any characters, `/` included
//   shop.example.com:8443  only that port (an absent port in the page URL means 80/443)
//   *                      every page of every site (a catch-all)
//
// `*` in the host matches any characters except `/` and `:`. The page's query
// string and fragment are ignored; its path is compared as it appears in the
// URL (percent-encoded). When several enabled rules match, the most specific
// wins: the one with the most literal (non-`*`) characters; on a tie, the one
// that comes first in the given order.

export interface UrlRule { pattern: string; enabled: boolean }

const SCHEME = /^https?:\/\//i;
const SHAPE = /^(?<host>[a-z0-9*-]+(?:\.[a-z0-9*-]+)*)(?::(?<port>\d{1,5}))?(?<path>\/[^\s?#]*)?$/;

export type Normalized = { ok: true; pattern: string } | { ok: false; rule: string };

/** Checks a pattern and puts it in its stored form: no scheme, lower case, no trailing `/`. */
export function normalizeUrlPattern(input: string): Normalized {
  const p = input.trim().replace(SCHEME, '').toLowerCase().replace(/\/+$/, '');
  const m = SHAPE.exec(p);
  if (!m?.groups) {
    return { ok: false, rule: 'must be host[:port][/path], e.g. example.com/help or *.example.com; no spaces, query string or fragment' };
  }
  const port = m.groups.port;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return { ok: false, rule: 'port must be 1–65535' };
  return { ok: true, pattern: p };
}

interface Compiled { host: RegExp; port: string | null; path: RegExp | null; specificity: number }

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
const glob = (s: string, star: string) => s.split('*').map(escape).join(star);

function compile(pattern: string): Compiled | null {
  const n = normalizeUrlPattern(pattern);
  if (!n.ok) return null;
  const { host, port, path } = SHAPE.exec(n.pattern)!.groups!;
  let pathRe: RegExp | null = null;
  if (path) {
    // Without a trailing `*` a path is a prefix at a segment boundary.
    const tail = path.endsWith('*') ? '' : '(?:/.*)?';
    pathRe = new RegExp(`^${glob(path, '.*')}${tail}$`, 'i');
  }
  return {
    host: new RegExp(`^${glob(host!, '[^/:]*')}$`, 'i'),
    port: port ?? null,
    path: pathRe,
    specificity: n.pattern.replace(/\*/g, '').length,
  };
}

/** The page URL as a URL, accepting one without a scheme; null if it is not a web page address. */
export function parsePageUrl(pageUrl: string): URL | null {
  const text = pageUrl.trim();
  // "localhost:8080/x" has a port, not a scheme.
  const hasScheme = /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text);
  let u: URL;
  try { u = new URL(hasScheme ? text : `http://${text}`); } catch { return null; }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
}

function matches(c: Compiled, u: URL): boolean {
  if (!c.host.test(u.hostname)) return false;
  if (c.port !== null && c.port !== (u.port || (u.protocol === 'https:' ? '443' : '80'))) return false;
  return c.path === null || c.path.test(u.pathname);
}

/** The enabled rule that routes a chat from pageUrl, or null (then every agent may be offered it). */
export function matchUrlRoute<T extends UrlRule>(rules: readonly T[], pageUrl: string): T | null {
  const u = parsePageUrl(pageUrl);
  if (!u) return null;
  let best: { rule: T; specificity: number } | null = null;
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const c = compile(rule.pattern);
    if (!c || !matches(c, u)) continue;
    if (!best || c.specificity > best.specificity) best = { rule, specificity: c.specificity };
  }
  return best?.rule ?? null;
}
