// Locks of a claim against a dispatch's offer insert, on a real PostgreSQL:
// while a claim by an agent is in progress, offering that agent another
// conversation must not wait for it (with FOR UPDATE on the agent row it did,
// through the offer's foreign key, and the two could deadlock).
import { expect } from 'chai';
import { claimAndSettle } from '../../src/db/repos/conversations.js';
import { insertOffers } from '../../src/db/repos/offers.js';
import { customer, startStack, type Stack } from '../support/stack.js';

describe('claim and offer locks', function () {
  this.timeout(60_000);
  let stack: Stack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack?.stop(); });

  it('a claim in progress does not block offering the same agent another conversation', async () => {
    const x = await customer(stack);
    const y = await customer(stack, { name: 'Second', message: 'me too' });
    const { agent } = await stack.sb.agents.create({ name: 'Locke', jid: `locke${process.pid}@${stack.cfg.xmppDomain}`, password: 'agent-password' });
    const claim = await stack.sb.db.connect();
    const other = await stack.sb.db.connect();
    try {
      await claim.query('BEGIN');
      expect((await claimAndSettle(claim, x.id, agent.id, agent.jid))?.conversation.status).to.equal('active'); // not committed: the agent row stays locked
      await other.query("SET lock_timeout = '10s'"); // only so that a regression fails instead of hanging
      const made = await insertOffers(other, [{ conversationId: y.id, agentId: agent.id, deadline: new Date(Date.now() + 60_000) }]);
      expect(made.map((o) => [o.conversationId, o.agentId, o.status])).to.deep.equal([[y.id, agent.id, 'pending']]);
    } finally {
      await claim.query('ROLLBACK');
      claim.release();
      await other.query('RESET lock_timeout');
      other.release();
    }
    await stack.sb.db.query("UPDATE offers SET status = 'withdrawn' WHERE status = 'pending'");
    await Promise.all([x.client.stop(), y.client.stop()]);
  });
});
