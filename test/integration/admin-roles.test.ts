// The role matrix: every /api route × (no token, normal operator, administrator,
// API token, a customer's token) → the status class expected from seed 004's roles. The expected
// access of each route is written out here, apart from the code: a route the
// table does not know fails the test, so a new route must be classified.
import { expect } from 'chai';
import { startStack, type Stack } from '../support/stack.js';
import { apiClient, bootstrapPassword, signIn, type Api } from '../support/api.js';

/** customer: public to operators' auth, but the customer's own conversation token is required. */
type Level = 'public' | 'customer' | 'operator' | 'admin';

export const EXPECTED: Record<string, Level> = {
  'POST /api/v1/auth/login': 'public',
  'DELETE /api/v1/auth/session': 'operator',
  'GET /api/v1/me': 'operator',
  'PATCH /api/v1/me': 'operator',
  'GET /api/v1/api-tokens': 'admin',
  'POST /api/v1/api-tokens': 'admin',
  'DELETE /api/v1/api-tokens/:id': 'admin',
  'GET /api/v1/settings/auth': 'admin',
  'PUT /api/v1/settings/auth': 'admin',
  'GET /api/v1/agents': 'operator',
  'GET /api/v1/agents/:id': 'operator',
  'POST /api/v1/agents': 'admin',
  'PATCH /api/v1/agents/:id': 'admin',
  'DELETE /api/v1/agents/:id': 'admin',
  'POST /api/v1/agents/:id/sip-password': 'admin',
  'GET /api/v1/rooms': 'operator',
  'POST /api/v1/rooms': 'admin',
  'GET /api/v1/rooms/:slug': 'operator',
  'PATCH /api/v1/rooms/:slug': 'admin',
  'DELETE /api/v1/rooms/:slug': 'admin',
  'GET /api/v1/rooms/:slug/links': 'operator',
  'GET /api/v1/rooms/:slug/embed': 'operator',
  'GET /api/v1/rooms/:slug/public': 'public',
  'POST /api/v1/rooms/:slug/conversations': 'public',
  'POST /api/v1/conversations/:id/end': 'customer',
  'POST /api/v1/conversations/:id/ask-all': 'customer',
  'GET /api/v1/voice': 'public',
  'GET /api/v1/conversations': 'operator',
  'GET /api/v1/conversations/:id': 'operator',
  'GET /api/v1/conversations/:id/messages': 'operator',
  'GET /api/v1/customers': 'operator',
  'GET /api/v1/customers/:id': 'operator',
  'GET /api/v1/audit-log': 'admin',
  'GET /api/v1/billing/usage': 'admin',
  'POST /api/v1/rooms/:slug/notes': 'public',
  'POST /api/v1/conversations/:id/replies': 'operator',
  'POST /api/v1/conversations/:id/alert': 'customer',
  'POST /api/v1/conversations/:id/transcript': 'customer',
  'POST /api/v1/conversations/:id/rating': 'customer',
  'GET /api/v1/conversations/:id/agents': 'customer',
  'GET /api/v1/conversations/:id/queue': 'customer',
  'GET /api/v1/rooms/:slug/secret': 'admin',
  'POST /api/v1/rooms/:slug/secret': 'admin',
  'GET /api/v1/emails': 'admin',
  'GET /api/v1/emails/:id': 'admin',
  'GET /api/v1/departments': 'operator',
  'GET /api/v1/departments/:id': 'operator',
  'GET /api/v1/canned-responses': 'operator',
  'POST /api/v1/canned-responses': 'operator',
  'GET /api/v1/canned-responses/:id': 'operator',
  'PATCH /api/v1/canned-responses/:id': 'operator',
  'DELETE /api/v1/canned-responses/:id': 'operator',
  'GET /api/v1/predefined-messages': 'operator',
  'GET /api/v1/predefined-messages/:id': 'operator',
  'GET /api/v1/tags': 'operator',
  'GET /api/v1/tags/:id': 'operator',
  'GET /api/v1/conversations/:id/tags': 'operator',
  'PUT /api/v1/conversations/:id/tags': 'operator',
  'GET /api/v1/customers/:id/tags': 'operator',
  'PUT /api/v1/customers/:id/tags': 'operator',
  'GET /api/v1/settings/company': 'operator',
  'POST /api/v1/departments': 'admin',
  'PATCH /api/v1/departments/:id': 'admin',
  'PUT /api/v1/departments/:id/members': 'admin',
  'DELETE /api/v1/departments/:id': 'admin',
  'POST /api/v1/predefined-messages': 'admin',
  'PATCH /api/v1/predefined-messages/:id': 'admin',
  'DELETE /api/v1/predefined-messages/:id': 'admin',
  'GET /api/v1/url-routes': 'admin',
  'GET /api/v1/url-routes/match': 'admin',
  'GET /api/v1/url-routes/:id': 'admin',
  'POST /api/v1/url-routes': 'admin',
  'PATCH /api/v1/url-routes/:id': 'admin',
  'DELETE /api/v1/url-routes/:id': 'admin',
  'GET /api/v1/offline-recipients': 'admin',
  'PUT /api/v1/offline-recipients': 'admin',
  'POST /api/v1/tags': 'admin',
  'PATCH /api/v1/tags/:id': 'admin',
  'DELETE /api/v1/tags/:id': 'admin',
  'PUT /api/v1/settings/company': 'admin',
  'GET /api/v1/settings/routing': 'admin',
  'PUT /api/v1/settings/routing': 'admin',
  'GET /api/v1/settings/smtp': 'admin',
  'PUT /api/v1/settings/smtp': 'admin',
  'DELETE /api/v1/settings/smtp': 'admin',
};

const FILL: Record<string, string> = { id: '3f0b7c1e-0d5e-4a7b-9a43-5b0c2f4e9d11', slug: 'general' };
export const fillPath = (url: string) => url.replace(/:(\w+)/g, (_, k: string) => FILL[k] ?? 'x');

describe('admin API: role matrix (route × role → status)', function () {
  this.timeout(120_000);
  let stack: Stack, api: Api;
  const tokens: Record<'normal' | 'admin' | 'token' | 'customer', string> = { normal: '', admin: '', token: '', customer: '' };
  let customerConversation = '';
  const creds = { admin: { login: '', password: '' }, normal: { login: 'matrix-normal@example.com', password: 'normal-password-1' } };

  before(async () => {
    stack = await startStack();
    api = apiClient(stack);
    creds.admin = { login: `admin@${stack.cfg.xmppDomain}`, password: bootstrapPassword(stack) };
    tokens.admin = await signIn(api, creds.admin.login, creds.admin.password);
    expect((await api('POST', '/api/v1/agents', { token: tokens.admin, body: { name: 'Matrix Normal', email: creds.normal.login, password: creds.normal.password } })).status).to.equal(201);
    tokens.normal = await signIn(api, creds.normal.login, creds.normal.password);
    tokens.token = (await api('POST', '/api/v1/api-tokens', { token: tokens.admin, body: { name: 'matrix' } })).body.token;
    // A customer's token: it opens that customer's own conversation routes and nothing an operator has.
    // (The room offers email alerts, or POST …/alert answers 403 for the room's setting, not the role.)
    expect((await api('PATCH', '/api/v1/rooms/general', { token: tokens.admin, body: { interactions: { addAlert: true } } })).status).to.equal(200);
    const started = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Matrix Customer', message: 'hello' } });
    tokens.customer = started.body.customerToken;
    customerConversation = started.body.id;
  });
  after(async () => { await stack?.stop(); });

  it('every /api route is classified, and every classified route exists', () => {
    const actual = stack.sb.http.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
    const unknown = actual.filter((r) => !(r in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((r) => !actual.includes(r));
    expect(unknown, 'routes missing from the matrix').to.deep.equal([]);
    expect(stale, 'matrix rows with no route').to.deep.equal([]);
    for (const r of stack.sb.http.apiRoutes) {
      const level = EXPECTED[`${r.method} ${r.url}`];
      expect(r.access, `${r.method} ${r.url}`).to.equal(level === 'customer' ? 'public' : level);
    }
  });

  it('answers each route for each role as its level says', async () => {
    const rows: string[] = [];
    for (const r of [...stack.sb.http.apiRoutes].sort((a, b) => Number(a.url === '/api/v1/auth/session') - Number(b.url === '/api/v1/auth/session'))) {
      const level = EXPECTED[`${r.method} ${r.url}`]!;
      const path = fillPath(r.url);
      const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined;
      for (const role of ['none', 'normal', 'admin', 'token', 'customer'] as const) {
        const token = role === 'none' ? null : tokens[role];
        const res = await api(r.method, role === 'customer' ? r.url.replace(':id', customerConversation).replace(/:(\w+)/g, (_, k: string) => FILL[k] ?? 'x') : path, { token, body });
        const denied = res.status === 401 ? '401' : res.status === 403 ? '403' : 'allowed';
        let want: string;
        if (level === 'public') want = 'allowed';
        else if (level === 'customer') want = role === 'none' ? '401' : role === 'customer' ? 'allowed' : denied === '403' ? 'not 403' : denied;
        else if (role === 'none' || role === 'customer') want = '401';
        else if (level === 'admin' && role === 'normal') want = '403';
        else want = 'allowed';
        rows.push(`${r.method} ${r.url} as ${role}: ${denied} (${res.status})${denied === want ? '' : `  ← expected ${want}`}`);
        expect(res.status, `${r.method} ${path} as ${role}`).to.be.below(500);
      }
      if (r.url === '/api/v1/auth/session') {
        // Signing out ended those sessions: sign in again for any later checks.
        tokens.admin = await signIn(api, creds.admin.login, creds.admin.password);
        tokens.normal = await signIn(api, creds.normal.login, creds.normal.password);
      }
    }
    const wrong = rows.filter((x) => x.includes('← expected'));
    expect(wrong, rows.join('\n')).to.deep.equal([]);
    expect(rows.length).to.equal(stack.sb.http.apiRoutes.length * 5);
  });

  it("a normal operator cannot read another operator's conversation or list others' chats", async () => {
    const started = await api('POST', '/api/v1/rooms/general/conversations', { body: { name: 'Cas Customer', message: 'hello' } });
    expect(started.status).to.equal(201);
    const other = (await api('GET', '/api/v1/me', { token: tokens.admin })).body.agent.id;
    await stack.sb.db.query("UPDATE conversations SET status = 'active', agent_id = $2 WHERE id = $1", [started.body.id, other]);
    expect((await api('GET', `/api/v1/conversations/${started.body.id}`, { token: tokens.admin })).status).to.equal(200);
    expect((await api('GET', `/api/v1/conversations/${started.body.id}`, { token: tokens.normal })).status).to.equal(404);
    const mine = await api('GET', '/api/v1/conversations', { token: tokens.normal });
    expect(mine.body.items.map((c: { id: string }) => c.id)).not.to.include(started.body.id);
    const all = await api('GET', '/api/v1/conversations', { token: tokens.admin });
    expect(all.body.items.map((c: { id: string }) => c.id)).to.include(started.body.id);
    expect((await api('GET', `/api/v1/conversations?agentId=${other}`, { token: tokens.normal })).status).to.equal(403);
    const cust = (await api('GET', '/api/v1/customers', { token: tokens.normal })).body;
    expect(cust.items.map((c: { name: string }) => c.name)).not.to.include('Cas Customer');
  });
});
