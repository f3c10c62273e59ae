#!/usr/bin/env node
// `switchboard`: the supervisor. Starts what the config says is ours —
// PostgreSQL (unless DATABASE_URL), Prosody (unless XMPP_SERVER=external),
// rtpengine then Kamailio (when voice is on, unless SIP_SERVER=external) —
// then the worker, restarts what crashes, and on SIGINT/SIGTERM stops all in
// reverse order (no orphans, no stale pid files).
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { SupervisedChild, tcpReady } from './supervisor/child.js';
import { EmbeddedPostgres } from './supervisor/postgres.js';
import { EmbeddedProsody } from './supervisor/prosody.js';
import { EmbeddedKamailio } from './supervisor/kamailio.js';
import { EmbeddedRtpengine } from './supervisor/rtpengine.js';

async function main(): Promise<void> {
  let cfg: Config;
  try { cfg = loadConfig(); } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(e.message + '\n'); process.exit(2); }
    throw e;
  }
  cfg = { ...cfg, dataDir: resolve(cfg.dataDir) };
  const log = createLogger(cfg.logLevel);
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o755 });
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    for (const stop of stops.reverse()) await stop().catch((e: Error) => log.error(e.message));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let databaseUrl = cfg.databaseUrl;
    if (!databaseUrl) {
      const pg = new EmbeddedPostgres({ dir: join(cfg.dataDir, 'postgres', 'cluster'), port: cfg.pgPort, log });
      stops.push(() => pg.stop());
      pg.child.onFailure = () => void stopAll(1);
      databaseUrl = await pg.start();
      log.info(`PostgreSQL ready on 127.0.0.1:${cfg.pgPort}`);
    }
    let secret = cfg.xmppComponentSecret;
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: cfg.dataDir };
    if (cfg.xmppServer === 'embedded') {
      const prosody = new EmbeddedProsody(cfg, log);
      stops.push(() => prosody.stop());
      prosody.child.onFailure = () => void stopAll(1);
      await prosody.start();
      secret = prosody.secret;
      env.SWITCHBOARD_PROSODY_CONFIG = prosody.paths.configFile;
      log.info(`Prosody ready: agents connect to ${cfg.xmppDomain} on port ${cfg.xmppC2sPort}`);
    }
    env.XMPP_COMPONENT_SECRET = secret;
    if (cfg.voiceEnabled && cfg.sipServer === 'embedded') {
      // rtpengine first: Kamailio gives up on an rtpengine missing at its start-up probe.
      const rtpengine = new EmbeddedRtpengine(cfg, log);
      stops.push(() => rtpengine.stop());
      rtpengine.child.onFailure = () => void stopAll(1);
      await rtpengine.start();
      log.info(`rtpengine ready: control on 127.0.0.1:${cfg.rtpengineNgPort}, media ports ${cfg.rtpenginePortMin}-${cfg.rtpenginePortMax}`);
      const kamailio = new EmbeddedKamailio(cfg, log);
      stops.push(() => kamailio.stop());
      kamailio.child.onFailure = () => void stopAll(1);
      await kamailio.start();
      env.SIP_EVAPI_SECRET = kamailio.secret;
      log.info(`Kamailio ready: SIP phones register as user@${cfg.sipDomain} at ${cfg.sipInterface}:${cfg.sipPort} (UDP/TCP); browsers use ${cfg.publicUrl.replace(/^http/, 'ws')}/sip-ws`);
    }
    const worker = new SupervisedChild({
      name: 'worker', command: process.execPath, args: [fileURLToPath(new URL('./worker.js', import.meta.url))], env,
      ready: tcpReady(cfg.httpHost === '0.0.0.0' ? '127.0.0.1' : cfg.httpHost, cfg.httpPort), readyTimeoutMs: 60_000,
      onLine: (l) => process.stdout.write(l + '\n'),
    }, log);
    stops.push(() => worker.stop());
    worker.onFailure = () => void stopAll(1);
    await worker.start();
    log.info(`Switchboard is up: ${cfg.publicUrl}/c/general`);
  } catch (e) {
    log.error((e as Error).message);
    await stopAll(1);
  }
}

void main();
