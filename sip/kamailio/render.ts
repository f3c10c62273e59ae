// Fills the templates in sip/kamailio/ (kamailio.cfg and the files it
// includes) from the settings. Every {{NAME}} must have a value and every
// value a place, so a renamed placeholder fails loudly here instead of as a
// Kamailio parse error.
import { readFileSync } from 'node:fs';
import type { Config } from '../../src/config.js';
import { repoPath } from '../../src/paths.js';

/** Knobs that are not user settings: tests shorten timers and use fewer processes. */
export interface KamailioTuning {
  /** SIP worker processes per transport. */
  children: number;
  /** Shortest registration Kamailio grants (s). */
  minExpires: number;
  /** How often usrloc sweeps expired contacts (s). */
  usrlocTimer: number;
  /** How long Kamailio keeps an agent's HA1 for re-REGISTERs without asking (s; default 600). */
  ha1CacheSeconds?: number;
}

export const DEFAULT_TUNING: KamailioTuning = { children: 4, minExpires: 60, usrlocTimer: 30, ha1CacheSeconds: 600 };

const ADDRESS = /^[0-9A-Za-z.:-]+$/;
const SECRET = /^[A-Za-z0-9_-]{16,}$/;

/** The config files, main first; each NAME.cfg comes from NAME.cfg.tpl. */
export const CONFIG_FILES = ['kamailio.cfg', 'register.cfg', 'calls.cfg', 'messages.cfg', 'evapi.cfg'] as const;

export function kamailioValues(cfg: Config, secret: string, dir: string, tuning: KamailioTuning = DEFAULT_TUNING): Record<string, string> {
  for (const [name, v] of [['SIP_INTERFACE', cfg.sipInterface], ['SIP_EVAPI_HOST', cfg.sipEvapiHost]] as const) {
    if (!ADDRESS.test(v)) throw new Error(`kamailio config: ${name} must be an address, got ${JSON.stringify(v)}`);
  }
  if (!SECRET.test(secret)) throw new Error('kamailio config: the evapi secret must be 16+ characters of A-Z a-z 0-9 _ -');
  if (!/^\/[^"\n]*$/.test(dir)) throw new Error(`kamailio config: the config dir must be an absolute path without quotes, got ${JSON.stringify(dir)}`);
  return {
    DIR: dir,
    CHILDREN: String(tuning.children),
    SIP_DOMAIN: cfg.sipDomain,
    REALM: cfg.sipRealm,
    SIP_INTERFACE: cfg.sipInterface,
    SIP_PORT: String(cfg.sipPort),
    WS_PORT: String(cfg.sipWsPort),
    UL_TIMER: String(tuning.usrlocTimer),
    HA1_CACHE_SECONDS: String(tuning.ha1CacheSeconds ?? 600),
    MIN_EXPIRES: String(tuning.minExpires),
    BAN_SECONDS: String(cfg.sipBanSeconds),
    MAX_FAILURES: String(cfg.sipAuthMaxFailures),
    FLOOD_LIMIT: String(cfg.sipFloodLimit),
    RTPENGINE_NG_PORT: String(cfg.rtpengineNgPort),
    EVAPI_BIND: `${cfg.sipEvapiHost}:${cfg.sipEvapiPort}`,
    EVAPI_SECRET: secret,
  };
}

/** Fills several templates from one set of values (each value used somewhere). */
export function fillTemplates(templates: Record<string, string>, values: Record<string, string>): Record<string, string> {
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) {
    out[name] = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, key: string) => {
      // The header comment mentions the syntax itself.
      if (key === 'PLACEHOLDERS') return whole;
      const v = values[key];
      if (v === undefined) throw new Error(`kamailio config: no value for {{${key}}} in ${name}`);
      used.add(key);
      return v;
    });
  }
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`kamailio config: unused values ${unused.join(', ')}`);
  return out;
}

/** The files to write into `dir` (absolute: kamailio.cfg includes the others from there). */
export function renderKamailioConfig(cfg: Config, secret: string, dir: string, tuning?: KamailioTuning): Record<string, string> {
  const templates = Object.fromEntries(CONFIG_FILES.map((f) => [f, readFileSync(repoPath('sip', 'kamailio', `${f}.tpl`), 'utf8')]));
  return fillTemplates(templates, kamailioValues(cfg, secret, dir, tuning));
}
