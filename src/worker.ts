// The worker process: our XMPP component, routing and HTTP. The supervisor
// (main.ts) runs it as a child and restarts it if it dies; it can also run
// alone against existing servers (XMPP_SERVER=external, DATABASE_URL).
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { registerAccount, removeAccount } from './supervisor/prosody.js';
import { startSwitchboard } from './app/switchboard.js';

async function main(): Promise<void> {
  let cfg;
  try { cfg = loadConfig(); } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(e.message + '\n'); process.exit(2); }
    throw e;
  }
  const log = createLogger(cfg.logLevel, 'worker');
  if (!cfg.databaseUrl) { process.stderr.write('config: DATABASE_URL is required for the worker (main.ts sets it for the embedded cluster)\n'); process.exit(2); }
  const prosodyConfig = process.env.SWITCHBOARD_PROSODY_CONFIG;
  const sb = await startSwitchboard({
    cfg, log, databaseUrl: cfg.databaseUrl, componentSecret: cfg.xmppComponentSecret,
    accounts: prosodyConfig ? { register: (jid, pw) => registerAccount(prosodyConfig, jid, pw), remove: (jid) => removeAccount(prosodyConfig, jid) } : null,
  });
  process.send?.({ ready: true });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sb.close().catch((e: Error) => log.error(e.message));
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: Error) => { process.stderr.write(`worker: ${e.stack ?? e.message}\n`); process.exit(1); });
