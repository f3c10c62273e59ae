// Team rooms on real Prosody + PostgreSQL: one per department on our MUC
// service; its online members are invited, only members can join, messages
// and history flow, membership follows the department (set through the
// admin API): a removed agent is taken out, an added one invited.
import { expect } from 'chai';
import { teamNode } from '../../components/muc/team.js';
import { adminApi } from '../support/admin-api.js';
import { startStack, type Stack } from '../support/stack.js';
import { agents } from '../support/commands.js';
import { errorCondition, groupchat, isBody, isInvite, isPresenceError, isSelfPresence, joinPresence, NS_MUC_USER, TestClient, xml } from '../support/xmpp.js';

describe('team rooms per department (Prosody + PostgreSQL)', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('members are invited and join; others are refused; messages, history, leaving the department', async () => {
    const api = await adminApi(stack);
    const [ann, ben, cid] = await agents(stack, ['Ann', 'Ben', 'Cid']);
    const made = await api.call<{ id: string }>('POST', '/api/v1/departments', api.admin, { name: `Support${process.pid}`, description: 'Front line' });
    expect(made.status).to.equal(201);
    const dept = made.body.id;
    const setMembers = async (ids: string[]) => {
      const r = await api.call('PUT', `/api/v1/departments/${dept}/members`, api.admin, { agentIds: ids });
      expect(r.status, JSON.stringify(r.body)).to.equal(200);
      await stack.sb.conversations.commands.teams.reconcile();
    };
    await setMembers([ann!.id, ben!.id]);
    const roomJid = `${teamNode(dept)}@${stack.cfg.roomsDomain}`;

    const inv = await ann!.client.waitFor(isInvite(roomJid), 10_000, 'team invitation to Ann');
    expect(inv.getChildText('body')).to.include(`Support${process.pid}`).and.include('team room');
    expect(inv.getChild('x', 'jabber:x:conference')?.attrs.jid).to.equal(roomJid);
    await ben!.client.waitFor(isInvite(roomJid), 10_000, 'team invitation to Ben');
    expect(await cid!.client.receives(isInvite(roomJid), 500)).to.equal(false);
    // Once per time online: a second pass invites nobody again.
    await stack.sb.conversations.commands.teams.reconcile();
    expect(await ann!.client.receives(isInvite(roomJid), 500)).to.equal(false);

    await ann!.client.send(joinPresence(roomJid, 'whatever'));
    const self = await ann!.client.waitFor(isSelfPresence(roomJid), 10_000, 'Ann in the team room');
    expect(self.attrs.from).to.equal(`${roomJid}/Ann`); // the nick is the agent's nickname (status 210)
    const codes = self.getChild('x', NS_MUC_USER)!.getChildren('status').map((s) => s.attrs.code);
    expect(codes).to.include.members(['110', '100', '210']);
    await ann!.client.waitFor((el) => el.is('message') && el.attrs.from === roomJid && el.getChildText('subject') !== null, 10_000, 'subject');
    await ben!.client.send(joinPresence(roomJid, 'Ben'));
    await ben!.client.waitFor(isSelfPresence(roomJid), 10_000, 'Ben in');
    await ann!.client.waitFor((el) => el.is('presence') && el.attrs.from === `${roomJid}/Ben` && !el.attrs.type, 10_000, 'Ann sees Ben');

    await ann!.client.send(groupchat(roomJid, 'who takes the 3pm shift?'));
    const m = await ben!.client.waitFor(isBody(`${roomJid}/Ann`, 'who takes the 3pm shift?'), 10_000, 'Ben hears Ann');
    expect(m.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.by).to.equal(roomJid);
    await ann!.client.waitFor(isBody(`${roomJid}/Ann`, 'who takes the 3pm shift?'), 10_000, 'Ann echo');

    await cid!.client.send(joinPresence(roomJid, 'Cid'));
    expect(errorCondition(await cid!.client.waitFor(isPresenceError(roomJid)))).to.equal('registration-required');
    const guest = await TestClient.guest({ url: `ws://127.0.0.1:${stack.cfg.httpPort}/xmpp-websocket`, domain: stack.cfg.guestDomain });
    stack.clients.push(guest);
    await guest.send(joinPresence(roomJid, 'Sneaky'));
    expect(errorCondition(await guest.waitFor(isPresenceError(roomJid)))).to.equal('registration-required');

    // Disco says what it is.
    const info = (await ann!.client.xmpp.iqCaller.request(xml('iq', { type: 'get', to: roomJid }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })), 10_000)).getChild('query')!;
    expect(info.getChildren('feature').map((f) => f.attrs.var)).to.include.members(['muc_membersonly', 'muc_nonanonymous']);

    // Ben leaves the department: out of the room (321); Cid joins it: invited, and gets the history.
    await setMembers([ann!.id, cid!.id]);
    const out = await ben!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${roomJid}/Ben`, 10_000, 'Ben removed');
    expect(out.getChild('x', NS_MUC_USER)!.getChildren('status').map((s) => s.attrs.code)).to.include('321');
    await ann!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${roomJid}/Ben`, 10_000, 'Ann sees Ben go');
    await ben!.client.send(groupchat(roomJid, 'still here?'));
    expect(errorCondition(await ben!.client.waitFor((el) => el.is('message') && el.attrs.type === 'error'))).to.equal('not-acceptable');
    await cid!.client.waitFor(isInvite(roomJid), 10_000, 'team invitation to Cid');
    await cid!.client.send(joinPresence(roomJid, 'Cid'));
    await cid!.client.waitFor(isSelfPresence(roomJid), 10_000, 'Cid in');
    const hist = await cid!.client.waitFor(isBody(`${roomJid}/Ann`, 'who takes the 3pm shift?'), 10_000, 'history');
    expect(hist.getChild('delay', 'urn:xmpp:delay')).to.not.equal(undefined);
    expect((await stack.sb.db.query('SELECT count(*)::int AS n FROM team_messages WHERE department_id = $1', [dept])).rows[0].n).to.equal(1);

    // The department is deleted: its room is destroyed.
    expect((await api.call('DELETE', `/api/v1/departments/${dept}`, api.admin)).status).to.be.oneOf([200, 204]);
    await stack.sb.conversations.commands.teams.reconcile();
    const gone = await cid!.client.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${roomJid}/Cid`, 10_000, 'room destroyed');
    expect(gone.getChild('x', NS_MUC_USER)!.getChild('destroy')).to.not.equal(undefined);
  });

  it('a member who signs in later is invited by their presence alone (no admin action)', async () => {
    const api = await adminApi(stack);
    const { agent } = await stack.sb.agents.create({ name: 'Late Lena', jid: `lena${process.pid}@${stack.cfg.xmppDomain}`, password: 'agent-password' });
    const made = await api.call<{ id: string }>('POST', '/api/v1/departments', api.admin, { name: `Night${process.pid}`, description: '', agentIds: [agent.id] });
    expect(made.status, JSON.stringify(made.body)).to.equal(201);
    await stack.sb.conversations.commands.teams.reconcile(); // she is offline: nobody to invite yet
    const roomJid = `${teamNode(made.body.id)}@${stack.cfg.roomsDomain}`;
    const lena = await TestClient.agent({ port: stack.cfg.xmppC2sPort, jid: agent.jid, password: 'agent-password' });
    stack.clients.push(lena);
    await lena.send(xml('presence'));
    await lena.waitFor(isInvite(roomJid), 10_000, 'team invitation on sign-in');
  });
});
