// The one place that reads process.env. Every setting has an env name and a
// key for the optional JSON file (config/switchboard.json, or SWITCHBOARD_CONFIG).
// A bad value stops start-up with one line naming the setting.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
  httpHost: string;
  httpPort: number;
  publicUrl: string;
  dataDir: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  xmppDomain: string;
  guestDomain: string;
  roomsDomain: string;
  deskDomain: string;
  /** 'embedded' spawns Prosody from a generated config; 'external' uses an existing server. */
  xmppServer: 'embedded' | 'external';
  xmppInterface: string;
  xmppC2sPort: number;
  xmppComponentHost: string;
  xmppComponentPort: number;
  xmppComponentSecret: string;
  xmppHttpPort: number;
  /** Upstream of /xmpp-websocket; derived from xmppHttpPort when embedded. */
  xmppWebsocketUrl: string;
  xmppRequireTls: boolean;
  /** Test and bench only: lets PLAIN auth run over unencrypted loopback c2s. */
  xmppAllowPlain: boolean;
  databaseUrl: string;
  pgPort: number;
  defaultMaxChats: number;
  stanzaMaxBytes: number;
  // --- Email (src/mail/) ---
  /** smtp://user:password@host:587 or smtps://…:465; empty = admin-API settings, else .eml files. */
  smtpUrl: string;
  /** Envelope and From address forced on SMTP (the account's own mailbox); empty = the profile's contact email. */
  smtpFrom: string;
  mailQuota: number;
  mailRetryBaseSeconds: number;
  mailRetryMaxSeconds: number;
  mailGiveUpHours: number;
  /** How long an outbox claim lasts unless renewed (renewed while its email is being sent). */
  mailLeaseSeconds: number;
  // Voice (SIP): see the last block of SETTINGS.
  voiceEnabled: boolean;
  /** 'embedded' spawns rtpengine and Kamailio from a generated config; 'external' uses existing ones. */
  sipServer: 'embedded' | 'external';
  sipDomain: string;
  /** Digest realm; an agent's HA1 is md5(username:realm:password). */
  sipRealm: string;
  sipInterface: string;
  sipPort: number;
  sipWsPort: number;
  /** Upstream of /sip-ws; derived from sipWsPort when embedded. */
  sipWebsocketUrl: string;
  sipEvapiHost: string;
  sipEvapiPort: number;
  sipEvapiSecret: string;
  sipAuthMaxFailures: number;
  sipBanSeconds: number;
  sipFloodLimit: number;
  rtpengineInterface: string;
  rtpengineNgPort: number;
  rtpenginePortMin: number;
  rtpenginePortMax: number;
}

type Kind = 'string' | 'port' | 'int' | 'bool' | 'url' | 'domain' | readonly string[];
interface Setting { key: keyof Config; env: string; kind: Kind; def: (c: Partial<Config>) => unknown; doc: string }

const domainRe = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const SETTINGS: readonly Setting[] = [
  { key: 'httpHost', env: 'HTTP_HOST', kind: 'string', def: () => '127.0.0.1', doc: 'Address the HTTP server listens on' },
  { key: 'httpPort', env: 'HTTP_PORT', kind: 'port', def: () => 8080, doc: 'HTTP port (customer page, admin API, /xmpp-websocket)' },
  { key: 'publicUrl', env: 'PUBLIC_URL', kind: 'url', def: (c) => `http://${c.httpHost}:${c.httpPort}`, doc: 'URL customers and agents use to reach the HTTP server' },
  { key: 'dataDir', env: 'DATA_DIR', kind: 'string', def: () => './data', doc: 'Where generated configs, the embedded PostgreSQL cluster and Prosody data live' },
  { key: 'logLevel', env: 'LOG_LEVEL', kind: ['debug', 'info', 'warn', 'error'], def: () => 'info', doc: 'Log verbosity' },
  { key: 'xmppDomain', env: 'XMPP_DOMAIN', kind: 'domain', def: () => 'localhost', doc: 'Main XMPP domain; agents are user@XMPP_DOMAIN' },
  { key: 'guestDomain', env: 'XMPP_GUEST_DOMAIN', kind: 'domain', def: (c) => `guest.${c.xmppDomain}`, doc: 'Anonymous vhost customers log in to' },
  { key: 'roomsDomain', env: 'XMPP_ROOMS_DOMAIN', kind: 'domain', def: (c) => `rooms.${c.xmppDomain}`, doc: 'Our MUC service (one MUC room per conversation)' },
  { key: 'deskDomain', env: 'XMPP_DESK_DOMAIN', kind: 'domain', def: (c) => `desk.${c.xmppDomain}`, doc: 'Our desk service (agent state, offers, commands)' },
  { key: 'xmppServer', env: 'XMPP_SERVER', kind: ['embedded', 'external'], def: () => 'embedded', doc: '`embedded` spawns Prosody; `external` uses an existing server' },
  { key: 'xmppInterface', env: 'XMPP_INTERFACE', kind: 'string', def: () => '127.0.0.1', doc: 'Address the embedded Prosody listens on (use 0.0.0.0 for agents on other machines)' },
  { key: 'xmppC2sPort', env: 'XMPP_C2S_PORT', kind: 'port', def: () => 5222, doc: 'Client port agents connect to' },
  { key: 'xmppComponentHost', env: 'XMPP_COMPONENT_HOST', kind: 'string', def: () => '127.0.0.1', doc: 'Where our component connects (XEP-0114)' },
  { key: 'xmppComponentPort', env: 'XMPP_COMPONENT_PORT', kind: 'port', def: () => 5347, doc: 'XEP-0114 component port' },
  { key: 'xmppComponentSecret', env: 'XMPP_COMPONENT_SECRET', kind: 'string', def: () => '', doc: 'Component secret; generated into the data dir when embedded' },
  { key: 'xmppHttpPort', env: 'XMPP_HTTP_PORT', kind: 'port', def: () => 5280, doc: 'Embedded Prosody HTTP port (WebSocket upstream)' },
  { key: 'xmppWebsocketUrl', env: 'XMPP_WEBSOCKET_URL', kind: 'url', def: (c) => `ws://127.0.0.1:${c.xmppHttpPort}/xmpp-websocket`, doc: 'Upstream that /xmpp-websocket is proxied to' },
  { key: 'xmppRequireTls', env: 'XMPP_REQUIRE_TLS', kind: 'bool', def: () => true, doc: 'Require TLS on c2s (a self-signed certificate is generated when embedded)' },
  { key: 'xmppAllowPlain', env: 'XMPP_ALLOW_PLAIN', kind: 'bool', def: () => false, doc: 'Allow PLAIN auth without TLS (tests and benchmarks only)' },
  { key: 'databaseUrl', env: 'DATABASE_URL', kind: 'string', def: () => '', doc: 'External PostgreSQL; empty = embedded cluster in the data dir' },
  { key: 'pgPort', env: 'PG_PORT', kind: 'port', def: () => 5433, doc: 'Port of the embedded PostgreSQL cluster (127.0.0.1 only)' },
  { key: 'defaultMaxChats', env: 'DEFAULT_MAX_CHATS', kind: 'int', def: () => 3, doc: 'Max concurrent chats for a new agent' },
  { key: 'stanzaMaxBytes', env: 'STANZA_MAX_BYTES', kind: 'int', def: () => 65536, doc: 'Largest WebSocket frame accepted from a customer' },
  // --- Email (src/mail/): transport, outbox retries, entitlement. Checked further by checkMail below. ---
  { key: 'smtpUrl', env: 'SMTP_URL', kind: 'string', def: () => '', doc: 'SMTP server, `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`; empty = the settings stored through the admin API, else each email is written as an `.eml` file under `DATA_DIR/mail/`' },
  { key: 'smtpFrom', env: 'SMTP_FROM', kind: 'string', def: () => '', doc: 'Sender address forced on SMTP (many servers accept only their account\'s own address; the profile\'s contact email becomes Reply-To); empty = the room\'s or company\'s contact email' },
  { key: 'mailQuota', env: 'MAIL_QUOTA', kind: 'int', def: () => 500, doc: 'Emails the company may send (entitlement); past it new emails are refused and the admin API says why' },
  { key: 'mailRetryBaseSeconds', env: 'MAIL_RETRY_BASE_SECONDS', kind: 'int', def: () => 10, doc: 'First retry delay of an email the SMTP server did not take; doubles at each attempt' },
  { key: 'mailRetryMaxSeconds', env: 'MAIL_RETRY_MAX_SECONDS', kind: 'int', def: () => 900, doc: 'Longest delay between two attempts of one email' },
  { key: 'mailGiveUpHours', env: 'MAIL_GIVE_UP_HOURS', kind: 'int', def: () => 120, doc: 'An email still not accepted this long after it was queued is marked failed (5 days, as mail servers do)' },
  { key: 'mailLeaseSeconds', env: 'MAIL_LEASE_SECONDS', kind: 'int', def: () => 120, doc: 'How long a worker\'s claim on an email lasts unless renewed (it is, while the email is being sent): an email left by a process that died is tried again after this' },

  // ---- Voice: Kamailio (SIP) and rtpengine (media), driven from our process over evapi ----
  { key: 'voiceEnabled', env: 'VOICE_ENABLED', kind: 'bool', def: () => true, doc: 'Voice and video over SIP; `false` starts neither Kamailio nor rtpengine' },
  { key: 'sipServer', env: 'SIP_SERVER', kind: ['embedded', 'external'], def: () => 'embedded', doc: '`embedded` spawns rtpengine and Kamailio; `external` uses an existing Kamailio running our config' },
  { key: 'sipDomain', env: 'SIP_DOMAIN', kind: 'domain', def: (c) => c.xmppDomain, doc: 'SIP domain: agents register as username@SIP_DOMAIN' },
  { key: 'sipRealm', env: 'SIP_REALM', kind: 'domain', def: (c) => c.sipDomain, doc: 'Digest realm; agents\' HA1 = md5(username:realm:password)' },
  { key: 'sipInterface', env: 'SIP_INTERFACE', kind: 'string', def: () => '127.0.0.1', doc: 'Address the embedded Kamailio listens on for SIP phones (UDP and TCP)' },
  { key: 'sipPort', env: 'SIP_PORT', kind: 'port', def: () => 5060, doc: 'SIP port for phones (UDP and TCP)' },
  { key: 'sipWsPort', env: 'SIP_WS_PORT', kind: 'port', def: () => 5066, doc: 'Kamailio\'s SIP-over-WebSocket port (127.0.0.1; browsers use /sip-ws on the HTTP origin)' },
  { key: 'sipWebsocketUrl', env: 'SIP_WEBSOCKET_URL', kind: 'url', def: (c) => `ws://127.0.0.1:${c.sipWsPort}`, doc: 'Upstream that /sip-ws is relayed to' },
  { key: 'sipEvapiHost', env: 'SIP_EVAPI_HOST', kind: 'string', def: () => '127.0.0.1', doc: 'Where Kamailio\'s evapi listens (our process connects to it)' },
  { key: 'sipEvapiPort', env: 'SIP_EVAPI_PORT', kind: 'port', def: () => 8448, doc: 'evapi port' },
  { key: 'sipEvapiSecret', env: 'SIP_EVAPI_SECRET', kind: 'string', def: () => '', doc: 'Secret our process proves on evapi; generated into the data dir when embedded' },
  { key: 'sipAuthMaxFailures', env: 'SIP_AUTH_MAX_FAILURES', kind: 'int', def: () => 10, doc: 'Failed digest attempts from one address before it is banned' },
  { key: 'sipBanSeconds', env: 'SIP_BAN_SECONDS', kind: 'int', def: () => 900, doc: 'How long a ban lasts (and the window failures are counted over)' },
  { key: 'sipFloodLimit', env: 'SIP_FLOOD_LIMIT', kind: 'int', def: () => 200, doc: 'SIP requests per 2 s from one address above which they are dropped' },
  { key: 'rtpengineInterface', env: 'RTPENGINE_INTERFACE', kind: 'string', def: () => '127.0.0.1', doc: 'Address the embedded rtpengine relays media on' },
  { key: 'rtpengineNgPort', env: 'RTPENGINE_NG_PORT', kind: 'port', def: () => 2223, doc: 'rtpengine control (ng) port, 127.0.0.1' },
  { key: 'rtpenginePortMin', env: 'RTPENGINE_PORT_MIN', kind: 'port', def: () => 30000, doc: 'First UDP port for media' },
  { key: 'rtpenginePortMax', env: 'RTPENGINE_PORT_MAX', kind: 'port', def: () => 39999, doc: 'Last UDP port for media' },
];

const MAIL_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** The email settings' cross-checks: an SMTP URL with an smtp(s) scheme and a host, a plain From address. */
function checkMail(cfg: Config): void {
  if (cfg.smtpUrl) {
    let u: URL | null = null;
    try { u = new URL(cfg.smtpUrl); } catch { /* reported below */ }
    if (!u || !['smtp:', 'smtps:'].includes(u.protocol) || !u.hostname) {
      throw new ConfigError('config: SMTP_URL (smtpUrl) must look like smtp://user:password@host:587 or smtps://host:465, got a value that does not');
    }
  }
  if (cfg.smtpFrom && !MAIL_ADDRESS.test(cfg.smtpFrom)) throw new ConfigError(`config: SMTP_FROM (smtpFrom) must be an email address, got ${JSON.stringify(cfg.smtpFrom)}`);
  if (cfg.mailRetryMaxSeconds < cfg.mailRetryBaseSeconds) throw new ConfigError('config: MAIL_RETRY_MAX_SECONDS (mailRetryMaxSeconds) must be at least MAIL_RETRY_BASE_SECONDS');
}

export class ConfigError extends Error {}

function parse(s: Setting, raw: unknown): unknown {
  const bad = (why: string) => new ConfigError(`config: ${s.env} (${s.key}) ${why}, got ${JSON.stringify(raw)}`);
  const k = s.kind;
  if (Array.isArray(k)) {
    if (typeof raw !== 'string' || !k.includes(raw)) throw bad(`must be one of ${k.join(', ')}`);
    return raw;
  }
  switch (k) {
    case 'port': case 'int': {
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (!Number.isInteger(n) || String(raw).trim() === '') throw bad('must be an integer');
      if (k === 'port' && (n < 0 || n > 65535)) throw bad('must be a port number 0-65535');
      if (k === 'int' && n < 1) throw bad('must be at least 1');
      return n;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const v = String(raw).toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw bad('must be true or false');
    }
    case 'url': {
      try { new URL(String(raw)); } catch { throw bad('must be a URL'); }
      return String(raw).replace(/\/$/, '');
    }
    case 'domain':
      if (typeof raw !== 'string' || !domainRe.test(raw)) throw bad('must be a lower-case domain name');
      return raw;
    default:
      if (typeof raw !== 'string' && typeof raw !== 'number') throw bad('must be a string');
      return String(raw);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const file = env.SWITCHBOARD_CONFIG ?? resolve('config/switchboard.json');
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try { parsed = JSON.parse(readFileSync(file, 'utf8')); } catch (e) {
      throw new ConfigError(`config: ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config: ${file} must contain a JSON object of settings`);
    fromFile = parsed as Record<string, unknown>;
    const known = new Set(SETTINGS.map((s) => s.key as string));
    for (const k of Object.keys(fromFile)) if (!known.has(k)) throw new ConfigError(`config: unknown setting "${k}" in ${file}`);
  } else if (env.SWITCHBOARD_CONFIG) {
    throw new ConfigError(`config: SWITCHBOARD_CONFIG points at ${file}, which does not exist`);
  }
  const c: Partial<Config> = {};
  for (const s of SETTINGS) {
    const raw = s.key in overrides ? overrides[s.key] : env[s.env] !== undefined && env[s.env] !== '' ? env[s.env] : fromFile[s.key];
    (c as Record<string, unknown>)[s.key] = raw === undefined ? s.def(c) : parse(s, raw);
  }
  const cfg = c as Config;
  if (cfg.xmppServer === 'external' && !cfg.xmppComponentSecret) {
    throw new ConfigError('config: XMPP_COMPONENT_SECRET (xmppComponentSecret) is required when XMPP_SERVER=external');
  }
  if (cfg.voiceEnabled && cfg.sipServer === 'external' && !cfg.sipEvapiSecret) {
    throw new ConfigError('config: SIP_EVAPI_SECRET (sipEvapiSecret) is required when SIP_SERVER=external');
  }
  if (cfg.rtpenginePortMin >= cfg.rtpenginePortMax) {
    throw new ConfigError(`config: RTPENGINE_PORT_MIN (rtpenginePortMin) must be below RTPENGINE_PORT_MAX, got ${cfg.rtpenginePortMin}-${cfg.rtpenginePortMax}`);
  }
  const doms = [cfg.xmppDomain, cfg.guestDomain, cfg.roomsDomain, cfg.deskDomain];
  if (new Set(doms).size !== doms.length) throw new ConfigError('config: XMPP_DOMAIN, XMPP_GUEST_DOMAIN, XMPP_ROOMS_DOMAIN and XMPP_DESK_DOMAIN must all differ');
  checkMail(cfg);
  return cfg;
}
