// The voice side of a test run: rtpengine and Kamailio on free 127.0.0.1
// ports, started by the first suite that asks (voiceEnv) and stopped after
// the last test, so suites without voice pay nothing. A suite that must spoil
// Kamailio's state (bans) starts a Kamailio of its own (startVoice).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/log.js';
import { EmbeddedKamailio } from '../../src/supervisor/kamailio.js';
import { EmbeddedRtpengine } from '../../src/supervisor/rtpengine.js';
import type { KamailioTuning } from '../../sip/kamailio/render.js';
import { freePort, freeSipPort } from './ports.js';
import { Baresip } from '../clients/baresip.js';
import { startStack, waitUntil, type Stack } from './stack.js';

export interface VoiceEnv {
  /** Settings a stack needs to use this Kamailio and rtpengine. */
  overrides: Partial<Config>;
  kamailio: EmbeddedKamailio;
  rtpengine: EmbeddedRtpengine | null;
  stop(): Promise<void>;
}

const log = process.env.TEST_LOG ? createLogger('debug', 'voice') : silentLogger;

/** Short registrations and a quick usrloc sweep, two workers: enough for tests. */
const TUNING = { children: 2, minExpires: 1, usrlocTimer: 1 };

export async function startVoice(opts: { rtpengine?: boolean; overrides?: Partial<Config>; tuning?: KamailioTuning } = {}): Promise<VoiceEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-voice-'));
  chmodSync(dir, 0o755); // Kamailio and rtpengine run as their own users when we are root
  const [sipPort, sipWsPort, sipEvapiPort, rtpengineNgPort] = [await freeSipPort(), await freePort(), await freePort(), await freeSipPort()];
  const rtpenginePortMin = 42000 + 200 * Math.floor(Math.random() * 80);
  const overrides: Partial<Config> = {
    voiceEnabled: true, sipPort, sipWsPort, sipWebsocketUrl: `ws://127.0.0.1:${sipWsPort}`, sipEvapiPort,
    sipEvapiSecret: randomBytes(18).toString('base64url'), rtpengineNgPort, rtpenginePortMin, rtpenginePortMax: rtpenginePortMin + 199,
    // Every test client is 127.0.0.1: only the suite testing bans may get banned.
    sipAuthMaxFailures: 1000,
    ...opts.overrides,
  };
  const cfg = loadConfig({}, { dataDir: dir, logLevel: 'error', ...overrides });
  const rtpengine = opts.rtpengine === false ? null : new EmbeddedRtpengine(cfg, log);
  await rtpengine?.start();
  const kamailio = new EmbeddedKamailio(cfg, log, opts.tuning ?? TUNING);
  await kamailio.start();
  return {
    overrides, kamailio, rtpengine,
    async stop() {
      await kamailio.stop();
      await rtpengine?.stop();
      if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let current: Promise<VoiceEnv> | null = null;

/** The run's shared Kamailio and rtpengine, started on first use. */
export function voiceEnv(): Promise<VoiceEnv> {
  current ??= startVoice();
  return current;
}

export async function stopVoiceEnv(): Promise<void> {
  if (current) await (await current).stop();
  current = null;
}

/** A stack whose worker controls the given (default: the shared) Kamailio, connected. */
export async function startVoiceStack(voice?: VoiceEnv, overrides: Partial<Config> = {}): Promise<Stack> {
  const v = voice ?? (await voiceEnv());
  const stack = await startStack({ ...v.overrides, ...overrides });
  await stack.sb.sip!.connected();
  return stack;
}

let seq = 0;
/** An agent, with the SIP info generated at its creation (and, as every agent, an XMPP account). */
export async function sipAgent(stack: Stack, name: string): Promise<{ id: string; username: string; password: string }> {
  const local = `${name.toLowerCase()}${process.pid}x${++seq}`;
  const { agent, sipInfo } = await stack.sb.agents.create({ name, jid: `${local}@${stack.cfg.xmppDomain}`, password: 'agent-password' });
  return { id: agent.id, username: sipInfo.username, password: sipInfo.password };
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Baresip phones of agents on a SIP client only: registered with MESSAGE
 * allowed, their current contact the desk; stopped together after each test.
 */
export class SipOnlyPhones {
  private readonly list: Baresip[] = [];

  constructor(private readonly stack: () => Stack) {}

  async start(agent: { id: string; username: string; password: string }): Promise<Baresip> {
    const s = this.stack();
    const phone = await Baresip.start({ username: agent.username, password: agent.password, domain: s.cfg.sipDomain, proxyPort: s.cfg.sipPort, contacts: [`sip:desk@${s.cfg.sipDomain}`] });
    this.list.push(phone);
    await waitUntil(() => s.sb.sip!.registry.acceptsMessages(agent.id), 20_000, 'registry: baresip takes MESSAGE');
    return phone;
  }

  async stopAll(): Promise<void> { await Promise.all(this.list.splice(0).map((p) => p.stop())); }
}
