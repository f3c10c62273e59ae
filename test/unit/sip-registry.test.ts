import { expect } from 'chai';
import { applyProbe, applySnapshot, clearAll, emptyState, expire, nextExpiry, removeContact, resync, unknownMessages, type Contact, type RegState } from '../../sip/registry/core.js';

const NOW = 1_000_000;
const contact = (uri: string, expiresAt: number): Contact => ({ uri, expiresAt, callId: null, received: null, userAgent: null, source: null });
const state = (entries: Record<string, Contact[]>): RegState => new Map(Object.entries(entries));
const uris = (s: RegState) => Object.fromEntries([...s].map(([k, v]) => [k, v.map((c) => c.uri)]));

describe('sip registry core', () => {
  const cases: Array<{ name: string; before: Record<string, Contact[]>; agent: string; snapshot: Contact[]; after: Record<string, string[]>; changes: Array<[string, boolean, string[]]> }> = [
    { name: 'first contact registers the agent', before: {}, agent: 'a', snapshot: [contact('sip:a@1', NOW + 60_000)],
      after: { a: ['sip:a@1'] }, changes: [['a', true, []]] },
    { name: 'the same set again changes nothing', before: { a: [contact('sip:a@1', NOW + 60_000)] }, agent: 'a', snapshot: [contact('sip:a@1', NOW + 60_000)],
      after: { a: ['sip:a@1'] }, changes: [] },
    { name: 'a refresh (new expiry) is a change, still registered', before: { a: [contact('sip:a@1', NOW + 60_000)] }, agent: 'a', snapshot: [contact('sip:a@1', NOW + 90_000)],
      after: { a: ['sip:a@1'] }, changes: [['a', true, []]] },
    { name: 'an empty set (un-REGISTER) unregisters, naming what left', before: { a: [contact('sip:a@1', NOW + 60_000)] }, agent: 'a', snapshot: [],
      after: {}, changes: [['a', false, ['sip:a@1']]] },
    { name: 'already expired contacts in a report do not count', before: {}, agent: 'a', snapshot: [contact('sip:a@1', NOW)],
      after: {}, changes: [] },
    { name: 'one contact replaced by another', before: { a: [contact('sip:a@1', NOW + 60_000)] }, agent: 'a', snapshot: [contact('sip:a@2', NOW + 60_000)],
      after: { a: ['sip:a@2'] }, changes: [['a', true, ['sip:a@1']]] },
    { name: 'other agents are untouched', before: { b: [contact('sip:b@1', NOW + 60_000)] }, agent: 'a', snapshot: [contact('sip:a@1', NOW + 60_000)],
      after: { b: ['sip:b@1'], a: ['sip:a@1'] }, changes: [['a', true, []]] },
  ];
  for (const c of cases) {
    it(`applySnapshot: ${c.name}`, () => {
      const step = applySnapshot(state(c.before), c.agent, c.snapshot, NOW);
      expect(uris(step.state)).to.deep.equal(c.after);
      expect(step.changes.map((x) => [x.agentId, x.registered, x.removed.map((r) => r.uri)])).to.deep.equal(c.changes);
    });
  }

  it('a refresh without Allow from the same client keeps what was learnt about MESSAGE; another client starts unknown', () => {
    const known: Contact = { ...contact('sip:a@1', NOW + 60_000), callId: 'c1', messages: true };
    const before = state({ a: [known] });
    const same = applySnapshot(before, 'a', [{ ...known, expiresAt: NOW + 90_000, messages: undefined }], NOW);
    expect(same.state.get('a')![0]!.messages).to.equal(true);
    const restarted = applySnapshot(before, 'a', [{ ...known, callId: 'c2', messages: undefined }], NOW);
    expect(restarted.state.get('a')![0]!.messages).to.equal(undefined);
    expect(unknownMessages(restarted.state, 'a').map((c) => c.uri)).to.deep.equal(['sip:a@1']);
    // A REGISTER that says (Allow header) wins over what was learnt.
    const said = applySnapshot(before, 'a', [{ ...known, messages: false }], NOW);
    expect(said.state.get('a')![0]!.messages).to.equal(false);
    expect(said.changes).to.have.length(1);
  });

  it('applyProbe settles only the unknown contacts, and is a change the availability follows', () => {
    const s = state({ a: [{ ...contact('sip:a@1', NOW + 60_000), messages: undefined }, { ...contact('sip:a@2', NOW + 60_000), messages: false }] });
    const step = applyProbe(s, 'a', true);
    expect(step.state.get('a')!.map((c) => c.messages)).to.deep.equal([true, false]);
    expect(step.changes.map((c) => [c.agentId, c.registered])).to.deep.equal([['a', true]]);
    expect(unknownMessages(step.state, 'a')).to.deep.equal([]);
    expect(applyProbe(step.state, 'a', false).changes).to.deep.equal([]);
    expect(applyProbe(s, 'nobody', true).changes).to.deep.equal([]);
  });

  it('expire drops what is due by the clock, agent by agent', () => {
    const s = state({ a: [contact('sip:a@1', NOW), contact('sip:a@2', NOW + 10)], b: [contact('sip:b@1', NOW - 1)], c: [contact('sip:c@1', NOW + 5)] });
    expect(nextExpiry(s)).to.equal(NOW - 1);
    const step = expire(s, NOW);
    expect(uris(step.state)).to.deep.equal({ a: ['sip:a@2'], c: ['sip:c@1'] });
    expect(step.changes.map((x) => [x.agentId, x.registered])).to.deep.equal([['a', true], ['b', false]]);
    expect(nextExpiry(step.state)).to.equal(NOW + 5);
    expect(nextExpiry(emptyState)).to.equal(undefined);
  });

  it('removeContact (Kamailio expired it) and clearAll (Kamailio restarted)', () => {
    const s = state({ a: [contact('sip:a@1', NOW + 1), contact('sip:a@2', NOW + 1)], b: [contact('sip:b@1', NOW + 1)] });
    expect(uris(removeContact(s, 'a', 'sip:a@1').state)).to.deep.equal({ a: ['sip:a@2'], b: ['sip:b@1'] });
    expect(removeContact(s, 'a', 'sip:nope').changes).to.deep.equal([]);
    const cleared = clearAll(s);
    expect(cleared.state.size).to.equal(0);
    expect(cleared.changes.map((x) => [x.agentId, x.registered, x.removed.length])).to.deep.equal([['a', false, 2], ['b', false, 1]]);
  });

  it('resync reports only the differences with a reloaded state', () => {
    const s = state({ a: [contact('sip:a@1', NOW + 1)], b: [contact('sip:b@1', NOW + 1)] });
    const step = resync(s, new Map([['a', [contact('sip:a@1', NOW + 1)]], ['c', [contact('sip:c@1', NOW + 1)]]]), NOW);
    expect(uris(step.state)).to.deep.equal({ a: ['sip:a@1'], c: ['sip:c@1'] });
    expect(step.changes.map((x) => [x.agentId, x.registered])).to.deep.equal([['b', false], ['c', true]]);
  });
});
