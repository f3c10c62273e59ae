// A process that holds only a MailService, for the restart tests: configured
// by the environment like the worker (DATABASE_URL, SMTP_URL, DATA_DIR, MAIL_*),
// optionally enqueues one email, then delivers until it is killed.
import { loadConfig } from '../../src/config.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/log.js';
import { MailService } from '../../src/mail/index.js';

const cfg = loadConfig();
const log = createLogger(cfg.logLevel, 'mail-child');
const db = createPool(cfg.databaseUrl, log, 3);
const mail = new MailService({ db, cfg, log, leaseSeconds: process.env.MAIL_CHILD_LEASE_SECONDS ? Number(process.env.MAIL_CHILD_LEASE_SECONDS) : undefined, pollMs: 200 });
await mail.start();
const to = process.env.MAIL_CHILD_ENQUEUE;
if (to) {
  const [e] = await mail.enqueue('offline-confirmation', { profile: { company: { companyName: 'Acme Inc', contactEmail: 'help@acme.test' } }, customer: { name: 'Jane' }, message: 'From a process that will be killed' }, [to]);
  process.stdout.write(`enqueued ${e!.id}\n`);
}
process.stdout.write('mail child ready\n');
process.once('SIGTERM', () => { void mail.stop().then(() => db.end()).then(() => process.exit(0)); });
