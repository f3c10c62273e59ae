import { expect } from 'chai';
import { xml } from '@xmpp/xml';
import { AdhocSessions, commandInfo, commandItems, NS_COMMANDS, NS_DATA, type AdhocHandler, type AdhocNode } from '../../components/desk/adhoc.js';

const AGENT = 'ada@localhost';
function handler(): AdhocHandler & { runs: Array<[AdhocNode, string | null]> } {
  const runs: Array<[AdhocNode, string | null]> = [];
  return {
    runs,
    isAgent: (bare) => bare === AGENT,
    choices: async (_bare, node) => (node === 'accept' ? [{ value: 'c1', label: 'Jane' }] : []),
    run: async (_bare, node, arg) => { runs.push([node, arg]); return { ok: arg !== 'bad', text: `${node} ${arg ?? ''}`.trim() }; },
  };
}
const cmd = (node: string, attrs: Record<string, string> = {}, ...children: ReturnType<typeof xml>[]) => xml('command', { xmlns: NS_COMMANDS, node, ...attrs }, ...children);
const submit = (id: string) => xml('x', { xmlns: NS_DATA, type: 'submit' }, xml('field', { var: 'id' }, xml('value', {}, id)));
const errCondition = (el: ReturnType<typeof xml>) => el.is('error') ? el.getChildElements()[0]!.name : null;

describe('XEP-0050 ad-hoc sessions (desk)', () => {
  it('lists commands to agents only; describes the list and each node', () => {
    const h = handler();
    expect(commandItems('desk.localhost', AGENT, h).getChildren('item').map((i) => i.attrs.node)).to.deep.equal(['status', 'queue', 'accept', 'reject', 'available', 'away']);
    expect(commandItems('desk.localhost', 'eve@guest', h).getChildren('item')).to.have.length(0);
    expect(commandInfo(NS_COMMANDS)!.getChild('identity')!.attrs.type).to.equal('command-list');
    expect(commandInfo('queue')!.getChild('identity')!.attrs.type).to.equal('command-node');
    expect(commandInfo('nope')).to.equal(null);
  });

  it('a command without arguments completes at once with an info note', async () => {
    const h = handler();
    const r = await new AdhocSessions(h).execute(`${AGENT}/pc`, AGENT, cmd('status'));
    expect(r.attrs).to.include({ status: 'completed', node: 'status' });
    expect(r.getChild('note')!.attrs.type).to.equal('info');
    expect(h.runs).to.deep.equal([['status', null]]);
  });

  it('accept: a form first, then the submit runs it once; the session cannot be reused; a failure is an error note', async () => {
    const h = handler();
    const s = new AdhocSessions(h);
    const form = await s.execute(`${AGENT}/pc`, AGENT, cmd('accept'));
    expect(form.attrs.status).to.equal('executing');
    expect(form.getChild('x', NS_DATA)!.getChild('field')!.getChildren('option').map((o) => o.getChildText('value'))).to.deep.equal(['c1']);
    const sid = form.attrs.sessionid!;
    expect(errCondition(await s.execute(`${AGENT}/phone`, AGENT, cmd('accept', { sessionid: sid }, submit('c1'))))).to.equal('not-allowed'); // another session of the agent
    const done = await s.execute(`${AGENT}/pc`, AGENT, cmd('accept', { sessionid: sid }, submit('c1')));
    expect(done.attrs).to.include({ status: 'completed', sessionid: sid });
    expect(h.runs).to.deep.equal([['accept', 'c1']]);
    expect(errCondition(await s.execute(`${AGENT}/pc`, AGENT, cmd('accept', { sessionid: sid }, submit('c1'))))).to.equal('not-allowed');
    const failed = await s.execute(`${AGENT}/pc`, AGENT, cmd('accept', {}, submit('bad')));
    expect(failed.getChild('note')!.attrs.type).to.equal('error');
  });

  it('reject with nothing to choose completes at once; cancel ends a session; sessions expire', async () => {
    const h = handler();
    expect((await new AdhocSessions(h).execute(`${AGENT}/pc`, AGENT, cmd('reject'))).attrs.status).to.equal('completed');
    const s = new AdhocSessions(h, 0);
    const form = await s.execute(`${AGENT}/pc`, AGENT, cmd('accept'));
    await new Promise((r) => setTimeout(r, 5));
    expect(errCondition(await s.execute(`${AGENT}/pc`, AGENT, cmd('accept', { sessionid: form.attrs.sessionid! }, submit('c1'))))).to.equal('not-allowed');
    const s2 = new AdhocSessions(h);
    const f2 = await s2.execute(`${AGENT}/pc`, AGENT, cmd('accept'));
    expect((await s2.execute(`${AGENT}/pc`, AGENT, cmd('accept', { sessionid: f2.attrs.sessionid!, action: 'cancel' }))).attrs.status).to.equal('canceled');
  });

  it('refuses non-agents, unknown nodes and wizard actions', async () => {
    const s = new AdhocSessions(handler());
    expect(errCondition(await s.execute('eve@guest/x', 'eve@guest', cmd('status')))).to.equal('forbidden');
    expect(errCondition(await s.execute(`${AGENT}/pc`, AGENT, cmd('reboot')))).to.equal('item-not-found');
    expect(errCondition(await s.execute(`${AGENT}/pc`, AGENT, cmd('status', { action: 'next' })))).to.equal('bad-request');
  });
});
