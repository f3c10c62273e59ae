// The embedded Kamailio: config generated from sip/kamailio/kamailio.cfg.tpl
// into the data dir, run in the foreground as a supervised child (as the
// `kamailio` user when we are root). Ready when it answers a SIP OPTIONS.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { renderKamailioConfig, type KamailioTuning } from '../../sip/kamailio/render.js';
import { sipOptions } from '../../sip/options-ping.js';
import { SupervisedChild } from './child.js';
import { runAs } from './users.js';

export interface KamailioPaths { dir: string; configFile: string; runDir: string; pidFile: string; secretFile: string }

export function kamailioPaths(dataDir: string): KamailioPaths {
  const dir = join(dataDir, 'kamailio');
  const runDir = join(dir, 'run');
  return { dir, runDir, configFile: join(dir, 'kamailio.cfg'), pidFile: join(runDir, 'kamailio.pid'), secretFile: join(dir, 'evapi.secret') };
}

/** Generates (or reads back) the secret our process proves on evapi. */
export function evapiSecret(paths: KamailioPaths): string {
  if (!existsSync(paths.secretFile)) {
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.secretFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(paths.secretFile, 'utf8').trim();
}

export class EmbeddedKamailio {
  readonly child: SupervisedChild;
  readonly paths: KamailioPaths;
  readonly secret: string;

  constructor(private readonly cfg: Config, log: Logger, private readonly tuning?: KamailioTuning) {
    this.paths = kamailioPaths(cfg.dataDir);
    this.secret = cfg.sipEvapiSecret || evapiSecret(this.paths);
    const who = runAs('kamailio');
    const host = cfg.sipInterface === '0.0.0.0' ? '127.0.0.1' : cfg.sipInterface;
    this.child = new SupervisedChild({
      name: 'kamailio',
      command: 'kamailio',
      args: ['-DD', '-E', '-f', this.paths.configFile, '-Y', this.paths.runDir, '-P', this.paths.pidFile],
      uid: who.uid, gid: who.gid,
      // Its SIP workers would outlive a crashed main process, holding the ports.
      killGroup: true,
      ready: async () => (await sipOptions(host, cfg.sipPort, 300)) === 200,
      onLine: (l) => log.debug(`[kamailio] ${l}`),
    }, log);
  }

  async start(): Promise<void> {
    const who = runAs('kamailio');
    mkdirSync(this.paths.runDir, { recursive: true, mode: 0o755 });
    if (who.uid !== undefined) chownSync(this.paths.runDir, who.uid, who.gid!);
    // The config holds the evapi secret: readable by Kamailio only.
    for (const [name, text] of Object.entries(renderKamailioConfig(this.cfg, this.secret, resolve(this.paths.dir), this.tuning))) {
      const file = join(this.paths.dir, name);
      writeFileSync(file, text, { mode: 0o600 });
      chmodSync(file, 0o600);
      if (who.uid !== undefined) chownSync(file, who.uid, who.gid!);
    }
    rmSync(this.paths.pidFile, { force: true });
    await this.child.start();
  }

  stop(): Promise<void> { return this.child.stop(); }
}
