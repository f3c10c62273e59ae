// The rooms admin API against a real stack: CRUD with the settings checked
// whole (400 naming the setting, nothing stored), 404s and 409s, the audit
// log, private rooms and their links, the embed code, and the customer's view.
import { expect } from 'chai';
import { defaultRoomSettings } from '../../src/core/room-settings.js';
import { roomSecret } from '../../src/db/repos/rooms.js';
import { startStack, type Stack } from '../support/stack.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('rooms API', function () {
  this.timeout(60_000);
  let stack: Stack;
  let admin = '';
  let normal = '';
  const api = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
    const r = await fetch(`${stack.cfg.publicUrl}${path}`, {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, text, json: (text ? JSON.parse(text) : null) as Json };
  };
  const patch = (slug: string, body: unknown, token = admin) => api(`/api/v1/rooms/${slug}`, { method: 'PATCH', token, body });
  const create = (body: unknown, token = admin) => api('/api/v1/rooms', { token, body });
  const stored = async (slug: string) => (await stack.sb.db.query('SELECT settings, updated_at FROM rooms WHERE slug = $1 AND deleted_at IS NULL', [slug])).rows[0];
  const audits = async (id?: string) => (await stack.sb.db.query(
    "SELECT action, before, after, actor_label FROM audit_log WHERE resource = 'room' AND ($1::text IS NULL OR resource_id = $1) ORDER BY id", [id ?? null])).rows;
  const login = async (jid: string, password: string) => (await api('/api/v1/auth/login', { body: { login: jid, password } })).json.token as string;

  before(async () => {
    stack = await startStack();
    admin = await login(`admin@${stack.cfg.xmppDomain}`, /Password: (\S+)/.exec(stack.printed.join('\n'))![1]!);
    const { agent } = await stack.sb.agents.create({ name: 'Nora Normal', password: 'normal-password' });
    normal = await login(agent.jid, 'normal-password');
  });
  after(async () => { await stack?.stop(); });

  it('creates a public room with the defaults; the slug must be well-formed and free', async () => {
    const r = await create({ slug: 'sales', settings: { name: 'Sales', agentLabel: 'Advisor', form: { theme: { primary: '#112233' } } } });
    expect(r.status).to.equal(201);
    expect(r.json).to.include({ slug: 'sales', kind: 'public', ownerAgentId: null, url: `${stack.cfg.publicUrl}/c/sales` });
    expect(r.json.settings).to.include({ name: 'Sales', agentLabel: 'Advisor', strategy: 'quickest-reply', ringLimit: 0 });
    expect(r.json.settings.form.theme).to.deep.equal({ primary: '#112233', primaryText: '#ffffff', background: '#eef1f6', text: '#111827' });
    expect(r.json.settings.actions.customer).to.include({ textChat: true, videoRecording: false, stopChargesTimer: true });
    expect((await create({ slug: 'bare' })).json.settings.name).to.equal('bare');

    const dup = await create({ slug: 'sales' });
    expect(dup.status).to.equal(409);
    expect(dup.json.field).to.equal('slug');
    for (const slug of ['Sales', '-x', 'a b', 'x'.repeat(64), '']) {
      const bad = await create({ slug });
      expect(bad.status, slug).to.equal(400);
      expect(bad.json.field, slug).to.equal('slug');
    }
    expect((await create({ slug: 'x', kind: 'private' })).json.field).to.equal('kind');
  });

  it('refuses bad settings on create with 400 naming the setting, and creates nothing', async () => {
    const r = await create({ slug: 'broken', settings: { hours: { timeZone: 'Nowhere/Land' } } });
    expect(r.status).to.equal(400);
    expect(r.json.field).to.equal('settings.hours.timeZone');
    expect(await stored('broken')).to.equal(undefined);
  });

  it('lists rooms with pagination and filters by kind and text', async () => {
    const all = await api('/api/v1/rooms?limit=200', { token: normal });
    expect(all.status).to.equal(200);
    expect(all.json.total).to.equal(all.json.items.length);
    const slugs = all.json.items.map((r: Json) => r.slug);
    expect(slugs).to.include.members(['general', 'sales', 'bare']);
    const page = await api('/api/v1/rooms?limit=1&offset=1', { token: admin });
    expect(page.json.items).to.have.length(1);
    expect(page.json.total).to.equal(all.json.total);
    expect(page.json.items[0].slug).to.equal(slugs[1]);
    const priv = await api('/api/v1/rooms?kind=private', { token: admin });
    expect(priv.json.items.length).to.be.greaterThan(0);
    expect(priv.json.items.every((r: Json) => r.kind === 'private' && r.ownerAgentId)).to.equal(true);
    expect((await api('/api/v1/rooms?q=SAL', { token: admin })).json.items.map((r: Json) => r.slug)).to.deep.equal(['sales']);
    expect((await api('/api/v1/rooms?q=%25', { token: admin })).json.total).to.equal(0); // % is a character, not a wildcard
    expect((await api('/api/v1/rooms?kind=team', { token: admin })).status).to.equal(400);
  });

  it('answers 404 for a room that does not exist, on every route', async () => {
    for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/links'], ['GET', '/embed'], ['GET', '/public']] as const) {
      const r = await api(`/api/v1/rooms/nope${path}`, { method, token: admin, body: method === 'PATCH' ? { name: 'x' } : undefined });
      expect(r.status, `${method} ${path}`).to.equal(404);
      expect(r.json.field).to.equal('slug');
    }
  });

  it('PATCH merges objects, replaces arrays, checks the whole and tells routing', async () => {
    const room = (await api('/api/v1/rooms/sales', { token: admin })).json;
    expect((await stack.sb.routing.room(room.id)).settings.name).to.equal('Sales'); // now cached
    const fields = [...room.settings.form.fields, { id: 'topic', type: 'select', label: 'Topic', order: 4, hidden: false, mandatory: true, options: ['Billing', 'Orders'] }];
    const r = await patch('sales', {
      name: 'Sales team', ringLimit: 2, form: { theme: { text: '#000000' }, fields },
      hours: { enabled: true, timeZone: 'Europe/Paris', weekly: { sat: [{ from: '10:00', to: '12:00' }] } }, actions: { agent: { videoRecording: true } },
    });
    expect(r.status, r.text).to.equal(200);
    const s = r.json.settings;
    expect(s).to.include({ name: 'Sales team', ringLimit: 2, agentLabel: 'Advisor' });
    expect(s.form.theme).to.deep.equal({ primary: '#112233', primaryText: '#ffffff', background: '#eef1f6', text: '#000000' });
    expect(s.form.fields.map((f: Json) => f.id)).to.deep.equal(['name', 'email', 'message', 'topic']);
    expect(s.hours.weekly.sat).to.deep.equal([{ from: '10:00', to: '12:00' }]);
    expect(s.hours.weekly.mon).to.deep.equal([{ from: '09:00', to: '17:00' }]);
    expect(s.actions.agent.videoRecording).to.equal(true);
    expect(s.actions.customer.videoRecording).to.equal(false);
    expect((await stored('sales')).settings).to.deep.equal(s);
    expect((await stack.sb.routing.room(room.id)).settings.name).to.equal('Sales team');
  });

  it('every setting of seeds 000 and 002 can be changed through the API and reads back as set', async () => {
    const flip = (b: Record<string, boolean>) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, !v]));
    const defaults = defaultRoomSettings();
    const field = (f: Json) => ({ hidden: false, mandatory: false, placeholder: '', ...f });
    const changed = {
      name: 'Clinic', agentLabel: 'Doctor', welcomeMessage: 'Welcome to the clinic.',
      strategy: 'least-busy', offerTimeoutSeconds: 45, reofferAfterSeconds: 20, ringLimit: 4, tierDelaySeconds: 5,
      stickyAgent: true, askAllAllowed: false, includeMobileAgents: false,
      maxConcurrentSessions: 12, unattendedTimeoutSeconds: 900, wrapUpSeconds: 30, disconnectGraceSeconds: 120,
      form: {
        theme: { primary: '#0f766e', primaryText: '#fefefe', background: '#f0fdfa', text: '#042f2e' },
        logoUrl: 'https://clinic.example/logo.png', header: 'Ask a doctor', subHeader: 'We answer within minutes',
        fields: [
          field({ id: 'intro', type: 'label', label: 'Tell us a little first', order: 0 }),
          field({ id: 'name', type: 'text', label: 'Full name', order: 1, mandatory: true, placeholder: 'Jane Doe' }),
          field({ id: 'email', type: 'email', label: 'Email', order: 2, mandatory: true }),
          field({ id: 'age', type: 'number', label: 'Age', order: 3 }),
          field({ id: 'topic', type: 'select', label: 'Topic', order: 4, mandatory: true, options: ['Billing', 'Medical'] }),
          field({ id: 'visit', type: 'radio', label: 'Visit', order: 5, options: ['First', 'Follow-up'] }),
          field({ id: 'symptoms', type: 'checkboxes', label: 'Symptoms', order: 6, options: ['Fever', 'Cough'] }),
          field({ id: 'message', type: 'textarea', label: 'Anything else?', order: 7 }),
          field({ id: 'scan', type: 'attachment', label: 'A scan', order: 8, accept: ['.pdf', 'image/*'], maxSizeBytes: 5_000_000 }),
          field({ id: 'consent', type: 'agreement', label: 'I agree to the terms', order: 9, mandatory: true }),
          field({ id: 'ref', type: 'text', label: 'Referrer', order: 10, hidden: true }),
        ],
      },
      buttons: { chat: false, email: true, voice: true, video: true },
      interactions: { leaveEmail: false, addAlert: true },
      offline: { forwardAddress: 'desk@clinic.example' },
      hours: {
        enabled: true, timeZone: 'Europe/Berlin',
        weekly: { mon: [{ from: '08:00', to: '12:00' }, { from: '13:00', to: '18:00' }], tue: [], wed: [{ from: '00:00', to: '24:00' }], thu: [], fri: [{ from: '08:00', to: '16:00' }], sat: [{ from: '10:00', to: '12:00' }], sun: [{ from: '11:00', to: '13:00' }] },
        exceptions: [{ date: '2026-12-25', closed: true, intervals: [] }, { date: '2026-12-24', closed: false, intervals: [{ from: '09:00', to: '12:00' }] }],
      },
      publicProfile: { companyName: 'Clinic Ltd', contactEmail: 'hello@clinic.example' },
      actions: { customer: flip({ ...defaults.actions.customer }), agent: flip({ ...defaults.actions.agent }) },
      hideTypingPreview: true,
      widget: { position: 'bottom-left', width: 400, height: 600, mobileMoreOptionsHeight: 60 },
    };
    // Every leaf differs from its default, so nothing passes by staying as it was.
    const leaves = (v: unknown, at = ''): Array<[string, unknown]> => (typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.entries(v).flatMap(([k, x]) => leaves(x, at ? `${at}.${k}` : k)) : [[at, v]]);
    const before = new Map(leaves(defaults).map(([k, v]) => [k, JSON.stringify(v)]));
    const after = leaves(changed);
    expect(after.map(([k]) => k).sort()).to.deep.equal([...before.keys()].sort());
    expect(after.filter(([k, v]) => before.get(k) === JSON.stringify(v)).map(([k]) => k)).to.deep.equal([]);

    const made = await create({ slug: 'clinic' });
    expect(made.status).to.equal(201);
    const r = await patch('clinic', changed);
    expect(r.status, r.text).to.equal(200);
    expect(r.json.settings).to.deep.equal(changed);
    expect((await api('/api/v1/rooms/clinic', { token: normal })).json.settings).to.deep.equal(changed);
    expect((await stored('clinic')).settings).to.deep.equal(changed);
    expect((await stack.sb.routing.room(made.json.id)).settings).to.deep.equal(changed);
  });

  describe('refuses bad settings with 400 naming the setting; nothing stored, nothing audited', () => {
    const email = (rule: Json) => ({ form: { fields: [{ id: 'name', type: 'text', label: 'Name', order: 1, hidden: false, mandatory: true }, { id: 'email', type: 'email', label: 'Email', order: 2, ...rule }] } });
    const cases: Array<[string, unknown, string]> = [
      ['a bad colour', { form: { theme: { primary: 'blue' } } }, 'form.theme.primary'],
      ['a bad time zone', { hours: { timeZone: 'Europe/Gotham' } }, 'hours.timeZone'],
      ['a bad field type', { form: { fields: [{ id: 'age', type: 'slider', label: 'Age', order: 1, hidden: false, mandatory: false }] } }, 'form.fields.0.type'],
      ['duplicate field ids', email({ id: 'name', hidden: false, mandatory: false }), 'form.fields.1.id'],
      ['a hidden mandatory field', email({ hidden: true, mandatory: true }), 'form.fields.1.mandatory'],
      ['a field missing a flag', email({ hidden: false }), 'form.fields.1.mandatory'],
      ['an unknown setting', { colour: '#fff' }, 'colour'],
      ['an unknown nested setting', { widget: { depth: 3 } }, 'widget.depth'],
      ['a negative ring limit', { ringLimit: -1 }, 'ringLimit'],
      ['an unknown strategy', { strategy: 'random' }, 'strategy'],
      ['overlapping intervals', { hours: { weekly: { mon: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } } }, 'hours.weekly.mon'],
      ['a wrong type', { stickyAgent: 'yes' }, 'stickyAgent'],
      ['an empty body', {}, 'body'],
    ];
    for (const [what, body, field] of cases) {
      it(`${what} → ${field}`, async () => {
        const before = await stored('sales');
        const count = (await audits()).length;
        const r = await patch('sales', body);
        expect(r.status, r.text).to.equal(400);
        expect(r.json.field).to.equal(field);
        expect(r.json.message.startsWith(`${field}: `), r.json.message).to.equal(true);
        expect(await stored('sales')).to.deep.equal(before);
        expect((await audits()).length).to.equal(count);
      });
    }
  });

  it('records create, update and delete in the audit log, with before and after', async () => {
    const made = await create({ slug: 'audited' });
    await patch('audited', { welcomeMessage: 'Hello!' });
    expect((await api('/api/v1/rooms/audited', { method: 'DELETE', token: admin })).status).to.equal(204);
    const log = await audits(made.json.id);
    expect(log.map((e) => e.action)).to.deep.equal(['create', 'update', 'delete']);
    expect(log.every((e) => e.actor_label && e.actor_label !== 'system')).to.equal(true);
    expect(log[0].before).to.equal(null);
    expect(log[0].after.slug).to.equal('audited');
    expect([log[1].before.settings.welcomeMessage, log[1].after.settings.welcomeMessage]).to.deep.equal(['', 'Hello!']);
    expect(log[2].before.slug).to.equal('audited');
    expect(log[2].after).to.equal(null);
  });

  it('DELETE: not the default room, nor an operator\'s private room; a deleted room keeps its conversations and frees its slug', async () => {
    const general = await api('/api/v1/rooms/general', { method: 'DELETE', token: admin });
    expect(general.status).to.equal(409);
    expect(general.json.field).to.equal('slug');
    const priv = (await api('/api/v1/rooms?kind=private&limit=1', { token: admin })).json.items[0];
    expect((await api(`/api/v1/rooms/${priv.slug}`, { method: 'DELETE', token: admin })).status).to.equal(409);

    const room = (await create({ slug: 'seasonal' })).json;
    const conv = await api('/api/v1/rooms/seasonal/conversations', { body: { name: 'Sam', message: 'Hi' } });
    expect(conv.status).to.equal(201);
    expect((await api('/api/v1/rooms/seasonal', { method: 'DELETE', token: admin })).status).to.equal(204);
    expect((await api('/api/v1/rooms/seasonal', { token: admin })).status).to.equal(404);
    expect((await api('/api/v1/rooms/seasonal/conversations', { body: { name: 'Sam', message: 'Hi' } })).status).to.equal(404);
    expect((await api('/api/v1/rooms/seasonal', { method: 'DELETE', token: admin })).status).to.equal(404);
    const kept = (await stack.sb.db.query('SELECT room_id FROM conversations WHERE id = $1', [conv.json.id])).rows[0];
    expect(kept.room_id).to.equal(room.id);
    expect((await stack.sb.routing.room(room.id)).slug).to.equal('seasonal');
    const again = await create({ slug: 'seasonal' });
    expect(again.status).to.equal(201);
    expect(again.json.id).not.to.equal(room.id);
  });

  it('private rooms: one per operator, links name the owner, gone with the operator', async () => {
    const { agent } = await stack.sb.agents.create({ name: 'Pia Private', password: 'private-password' });
    const mine = (await api('/api/v1/rooms?kind=private&q=Pia', { token: admin })).json.items;
    expect(mine).to.have.length(1);
    expect(mine[0].ownerAgentId).to.equal(agent.id);
    const links = await api(`/api/v1/rooms/${mine[0].slug}/links`, { token: normal });
    expect(links.status).to.equal(200);
    const form = `${stack.cfg.publicUrl}/c/${mine[0].slug}`;
    expect(links.json).to.deep.equal({ slug: mine[0].slug, ownerAgentId: agent.id, contactForm: form, voice: `${form}?start=voice`, video: `${form}?start=video` });
    expect((await patch(mine[0].slug, { welcomeMessage: 'Pia here' })).status).to.equal(200);
    await stack.sb.agents.remove(agent.id, null);
    expect((await api(`/api/v1/rooms/${mine[0].slug}`, { token: admin })).status).to.equal(404);
  });

  it('gives the embed code naming the room; the widget settings reach the page live through /public', async () => {
    await patch('sales', { widget: { position: 'top-left', width: 420 } });
    const r = await api('/api/v1/rooms/sales/embed', { token: normal });
    expect(r.status).to.equal(200);
    expect(r.json.html).to.equal(`<script src="${stack.cfg.publicUrl}/widget.js" data-room="sales" async></script>`);
    const pub = await api('/api/v1/rooms/sales/public');
    expect(pub.json.widget).to.deep.equal({ position: 'top-left', width: 420, height: 560, mobileMoreOptionsHeight: 48 });
  });

  it('shows customers the room without its secret, routing or hidden fields; open follows the hours', async () => {
    await patch('sales', { form: { fields: [
      { id: 'name', type: 'text', label: 'Name', order: 2, hidden: false, mandatory: true },
      { id: 'ref', type: 'text', label: 'Ref', order: 1, hidden: true, mandatory: false },
      { id: 'terms', type: 'agreement', label: 'I agree', order: 3, hidden: false, mandatory: true },
    ] } });
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const allDay = [{ from: '00:00', to: '24:00' }];
    const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay]));
    await patch('sales', { hours: { enabled: true, timeZone: 'UTC', weekly, exceptions: [-1, 0, 1].map((d) => ({ date: day(d), closed: true })) } });
    const pub = await api('/api/v1/rooms/sales/public');
    expect(pub.status).to.equal(200);
    const secret = await roomSecret(stack.sb.db, (await api('/api/v1/rooms/sales', { token: admin })).json.id);
    expect(pub.text).not.to.include(secret!);
    expect((await api('/api/v1/rooms/sales', { token: admin })).text).not.to.include(secret!);
    expect(pub.json).to.include({ slug: 'sales', name: 'Sales team', agentLabel: 'Advisor', open: false });
    expect(pub.json).not.to.have.any.keys('settings', 'secret', 'strategy', 'ringLimit', 'hours', 'id');
    expect(pub.json.form.fields.map((f: Json) => f.id)).to.deep.equal(['name', 'terms']);
    expect(pub.json.actions).to.include({ textChat: true });
    await patch('sales', { hours: { exceptions: [] } });
    expect((await api('/api/v1/rooms/sales/public')).json.open).to.equal(true);
  });

  it('starts a conversation from a builder form, checking each field on the server', async () => {
    const start = (body: Json) => api('/api/v1/rooms/sales/conversations', { body });
    const refused = await start({ name: 'Ann' });
    expect(refused.status).to.equal(400);
    expect(refused.json.field).to.equal('terms');
    expect((await start({ name: 'Ann', terms: true, topic: 'Billing' })).json.field).to.equal('topic');
    const ok = await start({ name: 'Ann', terms: true, ref: 'ignored' });
    expect(ok.status, ok.text).to.equal(201);
    const row = (await stack.sb.db.query('SELECT customer_name, form FROM conversations WHERE id = $1', [ok.json.id])).rows[0];
    expect(row.customer_name).to.equal('Ann');
    expect(row.form.fields).to.deep.equal({ terms: true });
  });

  it('reads a settings document stored before the form builder, and can change it', async () => {
    await create({ slug: 'legacy' });
    await stack.sb.db.query(`UPDATE rooms SET settings = $1 WHERE slug = 'legacy'`, [{
      name: 'Legacy', strategy: 'quickest-reply', offerTimeoutSeconds: 40, reofferAfterSeconds: 30, agentLabel: 'Tutor',
      form: { name: { hidden: false, mandatory: true }, email: { hidden: false, mandatory: true }, message: { hidden: true, mandatory: false } },
    }]);
    const r = await api('/api/v1/rooms/legacy', { token: admin });
    expect(r.status).to.equal(200);
    expect(r.json.settings).to.include({ name: 'Legacy', offerTimeoutSeconds: 40, agentLabel: 'Tutor', ringLimit: 0 });
    expect(r.json.settings.form.fields.map((f: Json) => [f.id, f.hidden, f.mandatory])).to.deep.equal([['name', false, true], ['email', false, true], ['message', true, false]]);
    expect((await api('/api/v1/rooms/legacy/conversations', { body: { name: 'Lee' } })).json.field).to.equal('email');
    expect((await patch('legacy', { agentLabel: 'Teacher' })).status).to.equal(200);
    expect((await stored('legacy')).settings.form.fields).to.have.length(3);
  });

  it('refuses the NUL character (PostgreSQL cannot store it) with 400 naming where it is', async () => {
    expect((await patch('general', { welcomeMessage: 'a\u0000b' })).json.field).to.equal('welcomeMessage');
    expect((await patch('general', { form: { fields: [{ id: 'name', type: 'text', label: 'N\u0000', order: 1, hidden: false, mandatory: false }] } })).json.field).to.equal('form.fields.0.label');
    expect((await api('/api/v1/rooms?q=%00', { token: admin })).status).to.equal(400);
    const conv = await api('/api/v1/rooms/general/conversations', { body: { name: 'A\u0000', message: 'hi' } });
    expect([conv.status, conv.json.field]).to.deep.equal([400, 'name']);
  });

  it('lets any operator read, only administrators write; no token → 401', async () => {
    expect((await api('/api/v1/rooms/sales', { token: normal })).status).to.equal(200);
    expect((await patch('sales', { name: 'Hijack' }, normal)).status).to.equal(403);
    expect((await create({ slug: 'mine' }, normal)).status).to.equal(403);
    expect((await api('/api/v1/rooms/bare', { method: 'DELETE', token: normal })).status).to.equal(403);
    expect((await api('/api/v1/rooms')).status).to.equal(401);
    expect((await patch('sales', { colour: 'x' }, '')).status).to.equal(401);
  });

  it('documents the routes and the strategy names in OpenAPI', async () => {
    const doc = (await api('/openapi.json')).json;
    for (const p of ['/api/v1/rooms', '/api/v1/rooms/{slug}', '/api/v1/rooms/{slug}/links', '/api/v1/rooms/{slug}/embed', '/api/v1/rooms/{slug}/public']) expect(doc.paths, p).to.have.property(p);
    expect(doc.components.schemas.RoutingStrategy.enum).to.deep.equal(['quickest-reply', 'round-robin', 'least-busy', 'longest-idle', 'nearest-agent']);
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).to.include.members(['RoomSettings', 'RoomFormField', 'RoomPublic']);
    for (const r of new Set(refs)) expect(doc.components.schemas, r).to.have.property(r);
    expect(JSON.stringify(doc)).not.to.match(/"\$ref":"(?!#\/components\/schemas\/)/);
  });
});
