// A small client for the admin API in tests: JSON in and out, bearer tokens.
import type { Stack } from './stack.js';

export interface Reply<T = any> { status: number; body: T; headers: Headers }

export type Api = (method: string, path: string, opts?: { token?: string | null; body?: unknown; headers?: Record<string, string> }) => Promise<Reply>;

export function apiClient(stack: Stack): Api {
  return async (method, path, opts = {}) => {
    const res = await fetch(`${stack.cfg.publicUrl}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body, headers: res.headers };
  };
}

/** The bootstrap administrator's password, printed once on first start. */
export function bootstrapPassword(stack: Stack): string {
  const m = /Password: (\S+)/.exec(stack.printed.join('\n'));
  if (!m) throw new Error('no bootstrap password printed');
  return m[1]!;
}

export async function signIn(api: Api, login: string, password: string): Promise<string> {
  const r = await api('POST', '/api/v1/auth/login', { body: { login, password } });
  if (r.status !== 200) throw new Error(`sign-in as ${login}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token as string;
}
