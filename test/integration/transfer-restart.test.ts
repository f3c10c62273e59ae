// A transfer asked before a restart of our process is still accepted by
// joining the room afterwards (the worker remembers which open chats have
// requests from the store, so other late joins need no lookup).
import { expect } from 'chai';
import { startStack, type Stack } from '../support/stack.js';
import { agents, roomBody, served } from '../support/commands.js';
import { groupchat, isInvite, isPresenceError, isSelfPresence, joinPresence } from '../support/xmpp.js';

describe('a transfer across a restart of our process', function () {
  this.timeout(90_000);
  let first: Stack;
  let second: Stack | undefined;
  let firstClosed = false;
  after(async () => {
    await second?.stop();
    if (firstClosed) await Promise.all(first.clients.splice(0).map((c) => c.stop()));
    else await first?.stop();
  });

  it('asked before, accepted by joining after; an agent never asked is still refused', async () => {
    first = await startStack();
    const [alice, bob, carol] = await agents(first, ['Alice', 'Bob', 'Carol']);
    const cust = await served(first, alice!);
    await alice!.client.send(groupchat(cust.roomJid, `!t ${bob!.nick}`));
    await roomBody(cust.roomJid, alice!.client, 'Transfer asked of Bob', 'transfer confirmation');
    await bob!.client.waitFor((el) => isInvite(cust.roomJid)(el) && /asks you to take over/.test(el.getChildText('body') ?? ''), 10_000, 'transfer invitation');

    firstClosed = true;
    await first.sb.close(); // the clients stay online, as they do when our process restarts
    second = await startStack({}, first.databaseUrl);

    await carol!.client.send(joinPresence(cust.roomJid, carol!.nick, cust.password));
    await carol!.client.waitFor(isPresenceError(cust.roomJid), 10_000, 'Carol refused');
    await bob!.client.send(joinPresence(cust.roomJid, bob!.nick, cust.password));
    await bob!.client.waitFor(isSelfPresence(cust.roomJid), 10_000, 'Bob admitted');
    const row = (await second.sb.db.query('SELECT agent_id FROM conversations WHERE id = $1', [cust.id])).rows[0];
    expect(row.agent_id).to.equal(bob!.id);
  });
});
