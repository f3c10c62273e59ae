// Agent commands in a conversation's MUC room, on real Prosody + PostgreSQL,
// with several agents: transfer (by name, by department, accepted by "a" or by
// joining, the race), invitation and leave, private notes and private mode,
// canned responses, predefined messages, XEP-0439 choices, help, unknowns.
import { expect } from 'chai';
import fc from 'fast-check';
import { insertCanned } from '../../src/db/repos/canned.js';
import { insertDepartment, setMembers } from '../../src/db/repos/departments.js';
import { insertPredefined } from '../../src/db/repos/predefined.js';
import { transcriptData } from '../../src/mail/transcript-data.js';
import { clearStack, startStack, waitUntil, type Stack } from '../support/stack.js';
import { agents, bodies, fromDesk, join, record, roomBody, served, toDesk } from '../support/commands.js';
import { errorCondition, groupchat, isBody, isInvite, isPresenceError, isSelfPresence, joinPresence, TestClient } from '../support/xmpp.js';

const NS_QR = 'urn:xmpp:tmp:quick-response';
/** The invitation of a transfer or an invitation (the agents online also got the room's offer before). */
const isRequest = (roomJid: string) => (el: import('../support/xmpp.js').Element) =>
  isInvite(roomJid)(el) && /asks you to take over|invites you to join/.test(el.getChildText('body') ?? '');

describe('agent commands in a conversation (Prosody + PostgreSQL)', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    await clearStack(stack);
    await stack.sb.db.query("UPDATE transfers SET status = 'cancelled' WHERE status = 'pending'");
  });

  const agentOf = async (convId: string) => (await stack.sb.db.query('SELECT agent_id FROM conversations WHERE id = $1', [convId])).rows[0].agent_id as string;

  it('!t <name>: the transferee is invited, the first agent stays until "a" at the desk, then the chat is theirs and the customer is told', async () => {
    const [alice, bob, carol] = await agents(stack, ['Alice', 'Bob', 'Carol']);
    const cust = await served(stack, alice!);
    const custLog = record(cust.client);
    await alice!.client.send(groupchat(cust.roomJid, `!t ${bob!.nick}`));
    await roomBody(cust.roomJid, alice!.client, 'Transfer asked of Bob', 'transfer confirmation');
    const inv = await bob!.client.waitFor(isRequest(cust.roomJid), 10_000, 'transfer invitation');
    expect(inv.getChildText('body')).to.include('Alice asks you to take over').and.include('Jane Doe');
    expect(await carol!.client.receives(isRequest(cust.roomJid), 500)).to.equal(false);
    // Alice is still serving: her messages reach the customer.
    await alice!.client.send(groupchat(cust.roomJid, 'still with you'));
    await roomBody(cust.roomJid, cust.client, 'still with you');
    expect(await agentOf(cust.id)).to.equal(alice!.id);

    await toDesk(stack, bob!.client, 'a');
    await fromDesk(stack, bob!.client, 'is yours now', 'accept reply');
    expect(await agentOf(cust.id)).to.equal(bob!.id);
    await roomBody(cust.roomJid, cust.client, 'transferred to Bob', 'customer told');
    await alice!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${cust.roomJid}/Alice`, 10_000, 'Alice out');
    await join(bob!, cust);
    await bob!.client.send(groupchat(cust.roomJid, 'Bob here'));
    await roomBody(cust.roomJid, cust.client, 'Bob here');
    // The command itself never reached the customer.
    expect(bodies(custLog).some((b) => b.includes('!t'))).to.equal(false);
    const events = (await stack.sb.db.query('SELECT kind FROM conversation_events WHERE conversation_id = $1 ORDER BY id', [cust.id])).rows.map((r) => r.kind);
    expect(events).to.include.members(['transfer_asked', 'transferred']);
  });

  it('!t @department invites its available members; joining the room accepts; a late "a" loses', async () => {
    const [alice, dan, eve, away] = await agents(stack, ['Alice', 'Dan', 'Eve', 'Fred']);
    const dept = await insertDepartment(stack.sb.db, { name: `Billing${process.pid}`, description: '' });
    await setMembers(stack.sb.db, dept, [alice!.id, dan!.id, eve!.id, away!.id]);
    await away!.client.send((await import('../support/xmpp.js')).xml('presence', {}, (await import('../support/xmpp.js')).xml('show', {}, 'away')));
    await waitUntil(() => !stack.sb.desk.presence.available(away!.jid), 10_000, 'Fred away');
    const cust = await served(stack, alice!);
    await alice!.client.send(groupchat(cust.roomJid, `!t @billing${process.pid}`));
    await roomBody(cust.roomJid, alice!.client, 'Transfer asked', 'transfer confirmation');
    await dan!.client.waitFor(isRequest(cust.roomJid), 10_000, 'invitation to Dan');
    await eve!.client.waitFor(isRequest(cust.roomJid), 10_000, 'invitation to Eve');
    expect(await away!.client.receives(isRequest(cust.roomJid), 500)).to.equal(false);
    await join(eve!, cust); // joining = accepting
    expect(await agentOf(cust.id)).to.equal(eve!.id);
    await fromDesk(stack, dan!.client, 'Too late: Eve', 'Dan told');
    await toDesk(stack, dan!.client, 'a');
    await fromDesk(stack, dan!.client, 'no transfer or invitation waiting');
    await dan!.client.send(joinPresence(cust.roomJid, dan!.nick, cust.password));
    expect(errorCondition(await dan!.client.waitFor(isPresenceError(cust.roomJid)))).to.equal('registration-required');
  });

  it('race: two agents typing "a" at once — exactly one wins (repeated)', async () => {
    const [alice, gus, hal] = await agents(stack, ['Alice', 'Gus', 'Hal']);
    const dept = await insertDepartment(stack.sb.db, { name: `Race${process.pid}`, description: '' });
    await setMembers(stack.sb.db, dept, [gus!.id, hal!.id]);
    for (let round = 0; round < 3; round++) {
      const cust = await served(stack, alice!);
      await alice!.client.send(groupchat(cust.roomJid, `!t @race${process.pid}`));
      await gus!.client.waitFor(isRequest(cust.roomJid), 10_000, 'invitation to Gus');
      await hal!.client.waitFor(isRequest(cust.roomJid), 10_000, 'invitation to Hal');
      await Promise.all([toDesk(stack, gus!.client, 'a'), toDesk(stack, hal!.client, 'a')]);
      const replies = await Promise.all([gus, hal].map((x) => fromDesk(stack, x!.client, /is yours now|no transfer or invitation waiting/, 'accept answer')));
      const won = replies.map((r) => (r.getChildText('body') ?? '').includes('is yours now'));
      expect(won.filter(Boolean)).to.have.length(1);
      const winner = won[0] ? gus! : hal!;
      expect(await agentOf(cust.id)).to.equal(winner.id);
      const rows = (await stack.sb.db.query("SELECT status, accepted_by FROM transfers WHERE conversation_id = $1", [cust.id])).rows;
      expect(rows).to.deep.equal([{ status: 'accepted', accepted_by: winner.id }]);
      await stack.sb.db.query("UPDATE conversations SET status = 'closed' WHERE id = $1", [cust.id]);
      await cust.client.stop();
    }
  });

  it('race at the store: 20 concurrent accepts of one transfer — one winner, the conversation has that agent', async () => {
    const { acceptTransfer, insertTransfer } = await import('../../src/db/repos/transfers.js');
    const ids = (await stack.sb.db.query('SELECT id FROM agents WHERE deleted_at IS NULL ORDER BY created_at LIMIT 21')).rows.map((r) => r.id as string);
    expect(ids.length).to.be.greaterThan(5);
    const [from, ...cands] = ids;
    const room = (await stack.sb.db.query("SELECT id FROM rooms WHERE slug = 'general'")).rows[0].id;
    const conv = (await stack.sb.db.query(`INSERT INTO conversations (room_id, muc_node, customer_name, room_password, customer_token_hash, status, agent_id)
      VALUES ($1, 'c-race${process.pid}', 'Racer', 'pw', 'x', 'active', $2) RETURNING id`, [room, from])).rows[0].id;
    await insertTransfer(stack.sb.db, { conversationId: conv, kind: 'transfer', fromAgentId: from!, candidates: cands, departmentId: null, deadline: new Date(Date.now() + 60_000) });
    const results = await Promise.all(cands.map((a) => acceptTransfer(stack.sb.db, a, null)));
    const winners = results.filter((r) => r !== null);
    expect(winners).to.have.length(1);
    expect(await agentOf(conv)).to.equal(winners[0]!.conversation.agentId);
    await stack.sb.db.query("UPDATE conversations SET status = 'closed' WHERE id = $1", [conv]);
  });

  it('!invite: the invitee joins as a second agent, both hear the customer; !leave by the inviter hands the chat over', async () => {
    const [alice, ivy] = await agents(stack, ['Alice', 'Ivy']);
    const cust = await served(stack, alice!);
    await alice!.client.send(groupchat(cust.roomJid, '!invite ivy'));
    await roomBody(cust.roomJid, alice!.client, 'Invitation sent to Ivy');
    await ivy!.client.waitFor(isRequest(cust.roomJid), 10_000, 'invitation');
    await alice!.client.send(groupchat(cust.roomJid, '!invite ivy'));
    await roomBody(cust.roomJid, alice!.client, 'already a pending');
    await alice!.client.send(groupchat(cust.roomJid, '!leave'));
    await roomBody(cust.roomJid, alice!.client, 'Nobody else serves this chat yet');
    await join(ivy!, cust);
    expect(await agentOf(cust.id)).to.equal(alice!.id); // an invitation adds, it does not move
    await cust.client.send(groupchat(cust.roomJid, 'hello both'));
    await roomBody(cust.roomJid, alice!.client, 'hello both');
    await roomBody(cust.roomJid, ivy!.client, 'hello both');
    await alice!.client.send(groupchat(cust.roomJid, '!leave'));
    await roomBody(cust.roomJid, cust.client, 'Alice left; Ivy continues with you');
    expect(await agentOf(cust.id)).to.equal(ivy!.id);
    await alice!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${cust.roomJid}/Alice`, 10_000, 'Alice out');
    await ivy!.client.send(groupchat(cust.roomJid, 'Ivy continues'));
    await roomBody(cust.roomJid, cust.client, 'Ivy continues');
  });

  it('!t to an invited agent in the room: "!a" there accepts; then a slixmpp agent (a second XMPP stack) takes it over by joining from the invitation', async () => {
    const [alice, lou] = await agents(stack, ['Alice', 'Lou']);
    const cust = await served(stack, alice!);
    await alice!.client.send(groupchat(cust.roomJid, '!invite lou'));
    await lou!.client.waitFor(isRequest(cust.roomJid));
    await join(lou!, cust);
    await alice!.client.send(groupchat(cust.roomJid, '!t lou'));
    await lou!.client.waitFor(isRequest(cust.roomJid), 10_000, 'transfer invitation while in the room');
    await lou!.client.send(groupchat(cust.roomJid, '!a'));
    await roomBody(cust.roomJid, lou!.client, 'is yours now', 'accept answer in the room');
    await roomBody(cust.roomJid, cust.client, 'transferred to Lou');
    expect(await agentOf(cust.id)).to.equal(lou!.id);
    await alice!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${cust.roomJid}/Alice`, 10_000, 'Alice out');

    const { SlixAgent } = await import('../clients/slix.js');
    const { agent } = await stack.sb.agents.create({ name: 'Sid Slix', jid: `sid${process.pid}@${stack.cfg.xmppDomain}`, password: 'slix-password' });
    const sid = await SlixAgent.start({ jid: agent.jid, password: 'slix-password', host: '127.0.0.1', port: stack.cfg.xmppC2sPort, mech: 'PLAIN' });
    try {
      await waitUntil(() => stack.sb.desk.presence.available(agent.jid), 10_000, 'Sid available');
      await lou!.client.send(groupchat(cust.roomJid, '!t Sid'));
      await roomBody(cust.roomJid, lou!.client, 'Transfer asked of Sid');
      const inv = await sid.waitFor((e) => e.event === 'invite' && e.room === cust.roomJid && String(e.reason ?? e.body).includes('take over'), 10_000);
      await sid.command({ cmd: 'join', room: cust.roomJid, nick: 'Sid', password: inv.password });
      await sid.waitFor((e) => e.event === 'joined' && e.room === cust.roomJid, 10_000);
      expect(await agentOf(cust.id)).to.equal(agent.id);
      await roomBody(cust.roomJid, cust.client, 'transferred to Sid');
      await sid.command({ cmd: 'say', room: cust.roomJid, body: '!p slix-private' });
      await sid.waitFor((e) => e.event === 'groupchat' && e.room === cust.roomJid && String(e.body) === '[private] slix-private', 10_000);
      await sid.command({ cmd: 'say', room: cust.roomJid, body: 'Sid here' });
      await roomBody(cust.roomJid, cust.client, 'Sid here');
      expect(cust.client.stanzas.some((el) => (el.getChildText('body') ?? '').includes('slix-private'))).to.equal(false);
    } finally {
      await sid.stop();
    }
  });

  it('an unanswered transfer expires: the first agent is told and keeps the chat; a late accept gets nothing', async () => {
    const [alice, max] = await agents(stack, ['Alice', 'Max']);
    const cust = await served(stack, alice!);
    const transfers = stack.sb.conversations.commands.transfers;
    transfers.timeoutSeconds = 1;
    try {
      await alice!.client.send(groupchat(cust.roomJid, '!t max'));
      await max!.client.waitFor(isRequest(cust.roomJid));
      await fromDesk(stack, alice!.client, 'was not accepted in time', 'expiry notice');
      expect((await stack.sb.db.query('SELECT status FROM transfers WHERE conversation_id = $1', [cust.id])).rows).to.deep.equal([{ status: 'expired' }]);
      await toDesk(stack, max!.client, 'a');
      await fromDesk(stack, max!.client, 'no transfer or invitation waiting');
      expect(await agentOf(cust.id)).to.equal(alice!.id);
    } finally {
      transfers.timeoutSeconds = 120;
    }
  });

  it('!cancel withdraws a pending invitation; an invitee who declines leaves the chat with the first agent', async () => {
    const [alice, jon] = await agents(stack, ['Alice', 'Jon']);
    const cust = await served(stack, alice!);
    await alice!.client.send(groupchat(cust.roomJid, '!t jon'));
    await jon!.client.waitFor(isRequest(cust.roomJid));
    await alice!.client.send(groupchat(cust.roomJid, '!cancel'));
    await roomBody(cust.roomJid, alice!.client, 'was withdrawn');
    await fromDesk(stack, jon!.client, 'withdrew the request');
    await jon!.client.send(joinPresence(cust.roomJid, jon!.nick, cust.password));
    expect(errorCondition(await jon!.client.waitFor(isPresenceError(cust.roomJid)))).to.equal('registration-required');
    await alice!.client.send(groupchat(cust.roomJid, '!t jon'));
    await jon!.client.waitFor(isRequest(cust.roomJid));
    await toDesk(stack, jon!.client, 'reject');
    await fromDesk(stack, jon!.client, 'You declined the request');
    await fromDesk(stack, alice!.client, 'Jon declined your transfer');
    expect(await agentOf(cust.id)).to.equal(alice!.id);
  });

  it('!p and !private: notes reach agents only, never the customer, its history replay or its transcript', async () => {
    const [alice, kim] = await agents(stack, ['Alice', 'Kim']);
    const cust = await served(stack, alice!);
    await alice!.client.send(groupchat(cust.roomJid, '!invite kim'));
    await kim!.client.waitFor(isRequest(cust.roomJid));
    await join(kim!, cust);
    const custLog = record(cust.client);
    await alice!.client.send(groupchat(cust.roomJid, '!p secret-note-1'));
    await roomBody(cust.roomJid, kim!.client, '[private] secret-note-1');
    await roomBody(cust.roomJid, alice!.client, '[private] secret-note-1');
    await alice!.client.send(groupchat(cust.roomJid, '!private'));
    await roomBody(cust.roomJid, alice!.client, 'Private mode on');
    await alice!.client.send(groupchat(cust.roomJid, 'secret-mode-2'));
    await roomBody(cust.roomJid, kim!.client, '[private] secret-mode-2');
    await alice!.client.send(groupchat(cust.roomJid, '!private off'));
    await roomBody(cust.roomJid, alice!.client, 'Private mode off');
    await alice!.client.send(groupchat(cust.roomJid, 'public-3'));
    await roomBody(cust.roomJid, cust.client, 'public-3');
    expect(bodies(custLog).filter((b) => b.includes('secret'))).to.deep.equal([]);
    // A new session of the customer (reload) gets the history without notes; Kim's replay has them.
    const again = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(again);
    const againLog = record(again);
    await again.send(joinPresence(cust.roomJid, cust.nick, cust.password));
    await again.waitFor(isSelfPresence(cust.roomJid));
    await again.waitFor(isBody(`${cust.roomJid}/Alice`, 'public-3'), 10_000, 'history replay');
    expect(bodies(againLog).filter((b) => b.includes('secret'))).to.deep.equal([]);
    const stored = (await stack.sb.db.query('SELECT body, private FROM messages WHERE conversation_id = $1 AND body LIKE $2 ORDER BY seq', [cust.id, 'secret%'])).rows;
    expect(stored).to.deep.equal([{ body: 'secret-note-1', private: true }, { body: 'secret-mode-2', private: true }]);
    const t = await transcriptData(stack.sb.db, cust.id);
    expect(t.messages.map((m) => m.body).filter((b) => b.includes('secret'))).to.deep.equal([]);
    expect(t.messages.map((m) => m.body)).to.include('public-3');
  });

  it('canned !<shortcut> with %VISITOR%/%OPERATOR%, !predef list and send, !offer with XEP-0439 responses, !help, unknowns answer the agent alone', async () => {
    const [alice] = await agents(stack, ['Alice']);
    await insertCanned(stack.sb.db, { agentId: null, shortcut: `hi${process.pid}`, text: 'Hello %VISITOR%, this is %OPERATOR%.' });
    await insertPredefined(stack.sb.db, { title: 'Hours', text: 'We are open 9 to 5.' });
    const cust = await served(stack, alice!);
    const custLog = record(cust.client);
    await alice!.client.send(groupchat(cust.roomJid, `!hi${process.pid}`));
    await cust.client.waitFor(isBody(`${cust.roomJid}/Alice`, 'Hello Jane Doe, this is Alice.'), 10_000, 'canned response');
    await alice!.client.send(groupchat(cust.roomJid, '!predef'));
    const list = await roomBody(cust.roomJid, alice!.client, 'Predefined messages');
    expect(list.getChildText('body')).to.match(/1\. Hours — We are open 9 to 5\./);
    await alice!.client.send(groupchat(cust.roomJid, '!predef 1'));
    await cust.client.waitFor(isBody(`${cust.roomJid}/Alice`, 'We are open 9 to 5.'), 10_000, 'predefined message');
    await alice!.client.send(groupchat(cust.roomJid, '!offer Which size? Small | Large'));
    const choice = await cust.client.waitFor((el) => isBody(`${cust.roomJid}/Alice`)(el) && el.getChildren('response', NS_QR).length > 0, 10_000, 'quick responses');
    expect(choice.getChildren('response', NS_QR).map((r) => [r.attrs.value, r.attrs.label])).to.deep.equal([['Small', 'Small'], ['Large', 'Large']]);
    expect(choice.getChildText('body')).to.include('Which size?').and.include('Small').and.include('Large');
    await alice!.client.send(groupchat(cust.roomJid, '!offer only-one'));
    await roomBody(cust.roomJid, alice!.client, 'at least two choices');
    await alice!.client.send(groupchat(cust.roomJid, '!nosuchthing'));
    await roomBody(cust.roomJid, alice!.client, 'Unknown command or canned response "nosuchthing"');
    await alice!.client.send(groupchat(cust.roomJid, '!help'));
    await roomBody(cust.roomJid, alice!.client, '!invite <name>');
    await alice!.client.send(groupchat(cust.roomJid, 'marker-end'));
    await cust.client.waitFor(isBody(`${cust.roomJid}/Alice`, 'marker-end'));
    const seen = bodies(custLog);
    for (const s of ['!', 'Unknown command', 'Predefined messages', 'at least two', 'Commands start']) expect(seen.filter((b) => b.startsWith(s) || b.includes(s === '!' ? '\n!' : s)), s).to.deep.equal([]);
    await alice!.client.send(groupchat(cust.roomJid, '!close'));
    await cust.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable', 10_000, 'closed');
  });

  it('property: over random sequences of notes, private toggles, canned and normal messages the customer never receives a private text, nor does the transcript hold one', async () => {
    const [alice] = await agents(stack, ['Alice']);
    await insertCanned(stack.sb.db, { agentId: null, shortcut: `cn${process.pid}`, text: 'canned for %VISITOR%' });
    type Step = { kind: 'msg' | 'note' | 'toggle' | 'canned' };
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.record({ kind: fc.constantFrom<Step['kind']>('msg', 'note', 'toggle', 'canned') }), { minLength: 1, maxLength: 10 }), async (steps) => {
      run++;
      const cust = await served(stack, alice!, { name: `Pat ${run}`, email: `pat${run}@example.com`, message: 'hi' });
      const log = record(cust.client);
      let priv = false;
      const secrets: string[] = [];
      const publics: string[] = [];
      for (const [i, s] of steps.entries()) {
        const token = `r${run}s${i}`;
        if (s.kind === 'toggle') {
          await alice!.client.send(groupchat(cust.roomJid, '!private'));
          priv = !priv;
          await roomBody(cust.roomJid, alice!.client, priv ? 'Private mode on' : 'Private mode off');
          continue;
        }
        if (s.kind === 'canned') {
          await alice!.client.send(groupchat(cust.roomJid, `!cn${process.pid}`));
          (priv ? secrets : publics).push(`canned for Pat ${run}`);
          await roomBody(cust.roomJid, alice!.client, `canned for Pat ${run}`);
          continue;
        }
        const text = s.kind === 'note' ? `!p note-${token}` : `text-${token}`;
        const body = s.kind === 'note' ? `note-${token}` : `text-${token}`;
        await alice!.client.send(groupchat(cust.roomJid, text));
        (s.kind === 'note' || priv ? secrets : publics).push(body);
        await roomBody(cust.roomJid, alice!.client, body);
      }
      if (priv) { await alice!.client.send(groupchat(cust.roomJid, '!private')); await roomBody(cust.roomJid, alice!.client, 'Private mode off'); }
      await alice!.client.send(groupchat(cust.roomJid, `end-${run}`));
      await cust.client.waitFor(isBody(`${cust.roomJid}/Alice`, `end-${run}`), 10_000, 'end marker');
      const got = bodies(log);
      const t = (await transcriptData(stack.sb.db, cust.id)).messages.map((m) => m.body);
      await stack.sb.db.query("UPDATE conversations SET status = 'closed' WHERE id = $1", [cust.id]);
      await cust.client.stop();
      const leaked = secrets.filter((x) => !publics.includes(x)).filter((x) => got.some((b) => b.includes(x)) || t.some((b) => b.includes(x)));
      const missing = publics.filter((x) => !got.some((b) => b.includes(x)) || !t.some((b) => b.includes(x)));
      return leaked.length === 0 && missing.length === 0;
    }), { numRuns: 6 });
  });
});

describe('agent commands seen from the customer page (Chromium)', function () {
  this.timeout(90_000);
  let stack: Stack;
  let browser: import('playwright-core').Browser;
  before(async () => {
    stack = await startStack();
    browser = await (await import('../support/browser.js')).launchChromium();
  });
  after(async () => { await browser?.close(); await stack?.stop(); });

  it('!offer shows the choices as buttons; a click sends the choice; private notes never show', async () => {
    const [vic] = await agents(stack, ['Vic']);
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${stack.cfg.publicUrl}/c/general`);
    await page.fill('input[name="name"]', 'Bea Browser');
    await page.fill('input[name="email"]', 'bea@example.com');
    await page.fill('[name="message"]', 'Which size fits?');
    await page.click('#start');
    const inv = await vic!.client.waitFor(isInvite(), 15_000, 'offer from the page');
    const roomJid = inv.attrs.from!;
    await vic!.client.send(joinPresence(roomJid, vic!.nick, inv.getChild('x', 'jabber:x:conference')?.attrs.password));
    await vic!.client.waitFor(isSelfPresence(roomJid));
    await vic!.client.send(groupchat(roomJid, '!p page-secret-note'));
    await roomBody(roomJid, vic!.client, '[private] page-secret-note');
    await vic!.client.send(groupchat(roomJid, '!offer Which size? Small | Large'));
    await page.waitForSelector('#log .quick-responses button.quick');
    const labels = await page.$$eval('#log .quick-responses button.quick', (bs) => bs.map((b) => b.textContent));
    expect(labels).to.deep.equal(['Small', 'Large']);
    const { mkdirSync } = await import('node:fs');
    const { repoPath } = await import('../../src/paths.js');
    mkdirSync(repoPath('test-artifacts'), { recursive: true });
    await page.screenshot({ path: repoPath('test-artifacts', 'customer-page-quick-responses.png'), fullPage: true });
    await page.click('#log .quick-responses button.quick >> text=Large');
    await vic!.client.waitFor(isBody(`${roomJid}/Bea Browser`, 'Large'), 10_000, 'the chosen answer');
    await page.waitForFunction(() => document.querySelectorAll('#log .quick-responses:not(.used) button:enabled').length === 0);
    const text = await page.$eval('#log', (e) => e.textContent ?? '');
    expect(text).to.include('Which size?').and.not.include('page-secret-note').and.not.include('!offer').and.not.include('!p');
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
