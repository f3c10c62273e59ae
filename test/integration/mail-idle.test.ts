// An idle outbox costs one look per poll interval: the worker must not spin
// when nothing waits (an empty outbox once read as "an email is due now",
// and the worker ran a pass every 50 ms, forever).
import { expect } from 'chai';
import { msUntilDue } from '../../src/mail/outbox.js';
import { mailDb, mailService, type MailDb } from '../support/mail.js';
import { setTimeout as sleep } from 'node:timers/promises';

describe('mail: an idle outbox', function () {
  this.timeout(60_000);
  let m: MailDb;
  before(async () => { m = await mailDb(); });
  after(async () => { await m?.close(); });

  it('nothing queued → no due time; a queued email → its due time', async () => {
    expect(await msUntilDue(m.db)).to.equal(null);
    await m.db.query(`INSERT INTO mail_outbox (batch_id, template, recipient, message_id, from_name, from_address, subject, html, text, next_attempt_at)
      VALUES (gen_random_uuid(), 'transcript', 'a@example.com', '<x@test>', 'F', 'f@example.com', 's', 'h', 't', now() + interval '30 seconds')`);
    const ms = await msUntilDue(m.db);
    expect(ms).to.be.within(25_000, 30_000);
    await m.db.query('DELETE FROM mail_outbox');
  });

  it('a started worker with nothing to send polls at its interval, not continuously', async () => {
    let outboxQueries = 0;
    const query = m.db.query.bind(m.db) as (...a: unknown[]) => unknown;
    (m.db as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      const text = typeof a[0] === 'string' ? a[0] : '';
      if (text.includes('mail_outbox')) outboxQueries++;
      return query(...a);
    };
    await mailService(m, {}, { pollMs: 5_000 });
    await sleep(2_000);
    // One pass at start (a claim and the due-time look); spinning would be ~40 per second.
    expect(outboxQueries).to.be.at.most(4);
  });
});
