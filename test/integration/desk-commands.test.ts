// Desk commands typed to the desk contact, on real Prosody + PostgreSQL with
// several agents: status, queue, accept <id> (pick by hand, atomic, raced),
// reject <id>, available / away / auto overriding presence (also after a
// restart of our process).
import { expect } from 'chai';
import { insertDepartment } from '../../src/db/repos/departments.js';
import { clearStack, customer, startStack, untilAvailable, waitUntil, type Stack } from '../support/stack.js';
import { agents, fromDesk, toDesk } from '../support/commands.js';
import { errorCondition, isInvite, isPresenceError, isSelfPresence, joinPresence, xml } from '../support/xmpp.js';

describe('desk commands (Prosody + PostgreSQL)', function () {
  this.timeout(90_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });
  afterEach(async () => {
    await clearStack(stack);
  });

  const statusOf = async (id: string) => (await stack.sb.db.query('SELECT status, agent_id FROM conversations WHERE id = $1', [id])).rows[0] as { status: string; agent_id: string | null };

  it('"away" by hand stops offers whatever the presence; "available" brings them back even when the client shows away; "auto" follows presence', async () => {
    const [ann, ben] = await agents(stack, ['Ann', 'Ben']);
    await toDesk(stack, ann!.client, 'away');
    await fromDesk(stack, ann!.client, 'You are away by hand');
    await untilAvailable(stack, ann!.jid, false);
    const c1 = await customer(stack);
    await ben!.client.waitFor(isInvite(c1.roomJid), 10_000, 'offer to Ben');
    expect(await ann!.client.receives(isInvite(c1.roomJid), 800)).to.equal(false);
    await toDesk(stack, ann!.client, 'status');
    expect((await fromDesk(stack, ann!.client, 'You are')).getChildText('body')).to.include('not available').and.include('set by hand: away');

    // Client shows "away", the agent says "available": offers come.
    await ann!.client.send(xml('presence', {}, xml('show', {}, 'away')));
    await waitUntil(() => stack.sb.desk.presence.presenceAvailable(ann!.jid) === false, 10_000, 'presence away');
    await toDesk(stack, ann!.client, 'available');
    await fromDesk(stack, ann!.client, 'You are available by hand');
    await ann!.client.waitFor(isInvite(c1.roomJid), 10_000, 'offer to Ann once available by hand');
    await toDesk(stack, ann!.client, 'auto');
    await fromDesk(stack, ann!.client, 'follows your XMPP presence');
    await untilAvailable(stack, ann!.jid, false);
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM desk_states d JOIN agents a ON a.id = d.agent_id WHERE a.jid = $1', [ann!.jid])).rows[0].n).to.equal(0);
  });

  it('queue lists waiting chats per room with ids; accept <id> claims one and invites the agent; others cannot have it', async () => {
    const [cid, dot] = await agents(stack, ['Cid', 'Dot']);
    for (const a of [cid!, dot!]) { await toDesk(stack, a.client, 'away'); await fromDesk(stack, a.client, 'away by hand'); }
    const c1 = await customer(stack, { name: 'Queue One', email: 'q1@example.com', message: 'first in line' });
    const c2 = await customer(stack, { name: 'Queue Two', email: 'q2@example.com', message: 'second' });
    await waitUntil(async () => (await stack.sb.db.query('SELECT count(*)::int AS n FROM conversations WHERE id = ANY($1) AND customer_joined_at IS NOT NULL', [[c1.id, c2.id]])).rows[0].n === 2, 10_000, 'both customers in');
    await toDesk(stack, cid!.client, 'queue');
    const q = (await fromDesk(stack, cid!.client, 'Waiting chats')).getChildText('body')!;
    expect(q, q).to.include('General (2)').and.include(c1.id.slice(0, 8)).and.include('Queue One').and.include('first in line').and.include(c2.id.slice(0, 8));
    expect(q.indexOf('Queue One')).to.be.lessThan(q.indexOf('Queue Two'));

    await toDesk(stack, cid!.client, `accept ${c1.id.slice(0, 8)}`);
    await fromDesk(stack, cid!.client, 'The chat with Queue One is yours');
    expect(await statusOf(c1.id)).to.deep.equal({ status: 'active', agent_id: cid!.id });
    const inv = await cid!.client.waitFor(isInvite(c1.roomJid), 10_000, 'invitation to join');
    expect(inv.getChildText('body')).to.include('from the queue');
    await cid!.client.send(joinPresence(c1.roomJid, cid!.nick, c1.password));
    await cid!.client.waitFor(isSelfPresence(c1.roomJid), 10_000, 'Cid joined');
    await c1.client.waitFor((el) => el.is('presence') && el.attrs.from === `${c1.roomJid}/Cid`, 10_000, 'customer sees Cid');

    await toDesk(stack, dot!.client, `accept ${c1.id.slice(0, 8)}`);
    await fromDesk(stack, dot!.client, 'No waiting chat has the id');
    await dot!.client.send(joinPresence(c1.roomJid, dot!.nick, c1.password));
    expect(errorCondition(await dot!.client.waitFor(isPresenceError(c1.roomJid)))).to.equal('registration-required');
    await toDesk(stack, dot!.client, 'accept zzzz');
    await fromDesk(stack, dot!.client, 'No waiting chat has the id');
    await toDesk(stack, dot!.client, 'accept');
    await fromDesk(stack, dot!.client, 'Say which chat');
    await toDesk(stack, cid!.client, 'queue');
    const q2 = (await fromDesk(stack, cid!.client, 'Waiting chats')).getChildText('body')!;
    expect(q2).to.include('General (1)').and.not.include('Queue One');
  });

  it('two agents typing accept <id> at once: exactly one gets the chat (repeated)', async () => {
    const [eli, fay] = await agents(stack, ['Eli', 'Fay']);
    for (const a of [eli!, fay!]) { await toDesk(stack, a.client, 'away'); await fromDesk(stack, a.client, 'away by hand'); }
    for (let round = 0; round < 4; round++) {
      const c = await customer(stack, { name: `Race ${round}`, email: `race${round}@example.com`, message: 'race' });
      await waitUntil(async () => (await stack.sb.db.query('SELECT customer_joined_at FROM conversations WHERE id = $1', [c.id])).rows[0].customer_joined_at !== null, 10_000, 'customer in');
      const id = c.id.slice(0, 8);
      await Promise.all([toDesk(stack, eli!.client, `accept ${id}`), toDesk(stack, fay!.client, `accept ${id}`)]);
      const answers = await Promise.all([eli!, fay!].map((a) => fromDesk(stack, a.client, /is yours|No waiting chat|no longer waiting/, 'accept answer')));
      const won = answers.map((x) => (x.getChildText('body') ?? '').includes('is yours'));
      expect(won.filter(Boolean), `round ${round}`).to.have.length(1);
      expect((await statusOf(c.id)).agent_id).to.equal(won[0] ? eli!.id : fay!.id);
      await stack.sb.db.query("UPDATE conversations SET status = 'closed' WHERE id = $1", [c.id]);
      await c.client.stop();
    }
  });

  it('accept refuses a chat for a department the agent is not in, and when the agent is at their limit', async () => {
    const [gil] = await agents(stack, ['Gil']);
    await toDesk(stack, gil!.client, 'away');
    await fromDesk(stack, gil!.client, 'away by hand');
    const c = await customer(stack, { name: 'Dept Only', email: 'dept@example.com', message: 'x' });
    const dept = await insertDepartment(stack.sb.db, { name: `Closed${process.pid}`, description: '' });
    await stack.sb.db.query('UPDATE conversations SET department_id = $2 WHERE id = $1', [c.id, dept]);
    await toDesk(stack, gil!.client, 'queue');
    expect((await fromDesk(stack, gil!.client, /Waiting chats|Nobody is waiting/)).getChildText('body')).to.not.include('Dept Only');
    await toDesk(stack, gil!.client, `accept ${c.id.slice(0, 8)}`);
    await fromDesk(stack, gil!.client, 'for other agents');
    await stack.sb.db.query('UPDATE conversations SET department_id = NULL WHERE id = $1', [c.id]);
    await stack.sb.db.query('UPDATE agents SET max_chats = 0 WHERE id = $1', [gil!.id]);
    await toDesk(stack, gil!.client, `accept ${c.id.slice(0, 8)}`);
    await fromDesk(stack, gil!.client, 'your limit');
    expect((await statusOf(c.id)).status).to.equal('queued');
    await stack.sb.db.query('UPDATE agents SET max_chats = 3 WHERE id = $1', [gil!.id]);
  });

  it('reject <id> declines that offer; the chat goes to the next agent; unknown words get the help pointer', async () => {
    const [hal, ida] = await agents(stack, ['Hal', 'Ida']);
    await toDesk(stack, ida!.client, 'away');
    await fromDesk(stack, ida!.client, 'away by hand');
    const c = await customer(stack);
    await hal!.client.waitFor(isInvite(c.roomJid), 10_000, 'offer to Hal');
    await toDesk(stack, hal!.client, 'reject 0000');
    await fromDesk(stack, hal!.client, 'no pending offer for "0000"');
    await toDesk(stack, hal!.client, `reject ${c.id.slice(0, 8)}`);
    await fromDesk(stack, hal!.client, 'You declined the chat');
    const offers = (await stack.sb.db.query('SELECT status FROM offers WHERE conversation_id = $1', [c.id])).rows.map((r) => r.status);
    expect(offers).to.deep.equal(['declined']);
    await toDesk(stack, ida!.client, 'auto');
    await ida!.client.waitFor(isInvite(c.roomJid), 10_000, 'offer to Ida');
    await toDesk(stack, hal!.client, 'frobnicate');
    await fromDesk(stack, hal!.client, 'Unknown desk command "frobnicate"');
    await toDesk(stack, hal!.client, 'help');
    await fromDesk(stack, hal!.client, 'accept <id>');
  });

  it('a manual state survives a restart of our process', async () => {
    const [jay] = await agents(stack, ['Jay']);
    await toDesk(stack, jay!.client, 'away');
    await fromDesk(stack, jay!.client, 'away by hand');
    const clients = stack.clients.splice(0); // keep the agent's session across the restart
    await stack.sb.close();
    const again = await startStack({}, stack.databaseUrl);
    again.clients.push(...clients);
    stack = again;
    {
      await waitUntil(() => again.sb.desk.presence.online(jay!.jid), 10_000, 'presence re-probed');
      expect(again.sb.desk.presence.manual(jay!.jid)).to.equal('away');
      expect(again.sb.desk.presence.available(jay!.jid)).to.equal(false);
      const c = await customer(again);
      expect(await jay!.client.receives(isInvite(c.roomJid), 1000)).to.equal(false);
      await toDesk(stack, jay!.client, 'auto');
      await jay!.client.waitFor(isInvite(c.roomJid), 10_000, 'offer after auto');
    }
  });
});
