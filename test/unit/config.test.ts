import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SETTINGS, type Config } from '../../src/config.js';

describe('config: loadConfig', () => {
  let dir: string;
  let empty: string;
  let n = 0;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-config-test-'));
    empty = join(dir, 'empty.json');
    writeFileSync(empty, '{}');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a config file and returns its path. */
  const file = (content: string): string => {
    const p = join(dir, `cfg-${n++}.json`);
    writeFileSync(p, content);
    return p;
  };
  /** Loads with only the given env vars and an empty config file. */
  const load = (env: Record<string, string> = {}, overrides: Partial<Config> = {}) =>
    loadConfig({ SWITCHBOARD_CONFIG: empty, ...env }, overrides);

  /** Asserts loading throws one ConfigError line containing every fragment. */
  const expectError = (fn: () => unknown, ...fragments: string[]): ConfigError => {
    let err: unknown;
    try { fn(); } catch (e) { err = e; }
    expect(err, 'expected a ConfigError').to.be.instanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).not.to.include('\n');
    for (const f of fragments) expect(msg).to.include(f);
    return err as ConfigError;
  };

  describe('defaults', () => {
    it('listens on 127.0.0.1:8080 with ./data and the localhost domains', () => {
      const c = load();
      expect(c.httpHost).to.equal('127.0.0.1');
      expect(c.httpPort).to.equal(8080);
      expect(c.dataDir).to.equal('./data');
      expect([c.xmppDomain, c.guestDomain, c.roomsDomain, c.deskDomain])
        .to.deep.equal(['localhost', 'guest.localhost', 'rooms.localhost', 'desk.localhost']);
    });

    it('has the documented defaults for the other settings', () => {
      const c = load();
      expect(c.publicUrl).to.equal('http://127.0.0.1:8080');
      expect(c.logLevel).to.equal('info');
      expect(c.xmppServer).to.equal('embedded');
      expect(c.xmppC2sPort).to.equal(5222);
      expect(c.xmppComponentPort).to.equal(5347);
      expect(c.xmppWebsocketUrl).to.equal('ws://127.0.0.1:5280/xmpp-websocket');
      expect(c.xmppRequireTls).to.equal(true);
      expect(c.xmppAllowPlain).to.equal(false);
      expect(c.databaseUrl).to.equal('');
      expect(c.pgPort).to.equal(5433);
      expect(c.defaultMaxChats).to.equal(3);
      expect(c.stanzaMaxBytes).to.equal(65536);
    });

    it('sets every setting', () => {
      const c = load() as unknown as Record<string, unknown>;
      for (const s of SETTINGS) expect(c[s.key], s.key).not.to.equal(undefined);
    });

    it('derives sub-domains from XMPP_DOMAIN', () => {
      const c = load({ XMPP_DOMAIN: 'chat.example.com' });
      expect([c.guestDomain, c.roomsDomain, c.deskDomain])
        .to.deep.equal(['guest.chat.example.com', 'rooms.chat.example.com', 'desk.chat.example.com']);
    });

    it('derives publicUrl and the WebSocket upstream from host and ports', () => {
      const c = load({ HTTP_HOST: '10.0.0.5', HTTP_PORT: '9000', XMPP_HTTP_PORT: '6000' });
      expect(c.publicUrl).to.equal('http://10.0.0.5:9000');
      expect(c.xmppWebsocketUrl).to.equal('ws://127.0.0.1:6000/xmpp-websocket');
    });

    it('treats an empty env var as unset', () => {
      expect(load({ HTTP_PORT: '' }).httpPort).to.equal(8080);
    });
  });

  describe('parsing env values', () => {
    it('parses ports and integers, trimming spaces', () => {
      const c = load({ HTTP_PORT: ' 9090 ', DEFAULT_MAX_CHATS: '5' });
      expect(c.httpPort).to.equal(9090);
      expect(c.defaultMaxChats).to.equal(5);
    });

    it('accepts the port bounds 0 and 65535', () => {
      expect(load({ HTTP_PORT: '0' }).httpPort).to.equal(0);
      expect(load({ HTTP_PORT: '65535' }).httpPort).to.equal(65535);
    });

    for (const [raw, want] of [['1', true], ['TRUE', true], ['yes', true], ['on', true], ['0', false], ['False', false], ['no', false], ['off', false]] as const) {
      it(`parses the bool ${JSON.stringify(raw)} as ${want}`, () => {
        expect(load({ XMPP_REQUIRE_TLS: raw }).xmppRequireTls).to.equal(want);
      });
    }

    it('strips one trailing slash from URLs', () => {
      expect(load({ PUBLIC_URL: 'https://chat.example.com/' }).publicUrl).to.equal('https://chat.example.com');
    });

    it('accepts each enum value', () => {
      for (const v of ['debug', 'info', 'warn', 'error'] as const) expect(load({ LOG_LEVEL: v }).logLevel).to.equal(v);
    });
  });

  describe('bad values', () => {
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['port above 65535', { HTTP_PORT: '65536' }, 'HTTP_PORT (httpPort)', 'port number'],
      ['negative port', { XMPP_C2S_PORT: '-1' }, 'XMPP_C2S_PORT (xmppC2sPort)', 'port number'],
      ['non-numeric port', { PG_PORT: 'abc' }, 'PG_PORT (pgPort)', 'integer'],
      ['fractional port', { HTTP_PORT: '80.5' }, 'HTTP_PORT (httpPort)', 'integer'],
      ['blank port', { HTTP_PORT: '   ' }, 'HTTP_PORT (httpPort)', 'integer'],
      ['non-integer int', { DEFAULT_MAX_CHATS: '2.5' }, 'DEFAULT_MAX_CHATS (defaultMaxChats)', 'integer'],
      ['int below 1', { STANZA_MAX_BYTES: '0' }, 'STANZA_MAX_BYTES (stanzaMaxBytes)', 'at least 1'],
      ['bad bool', { XMPP_ALLOW_PLAIN: 'maybe' }, 'XMPP_ALLOW_PLAIN (xmppAllowPlain)', 'true or false'],
      ['bad URL', { PUBLIC_URL: 'not a url' }, 'PUBLIC_URL (publicUrl)', 'URL'],
      ['upper-case domain', { XMPP_DOMAIN: 'Example.com' }, 'XMPP_DOMAIN (xmppDomain)', 'domain'],
      ['domain with a space', { XMPP_GUEST_DOMAIN: 'guest host' }, 'XMPP_GUEST_DOMAIN (guestDomain)', 'domain'],
      ['domain with a trailing dot', { XMPP_ROOMS_DOMAIN: 'rooms.localhost.' }, 'XMPP_ROOMS_DOMAIN (roomsDomain)', 'domain'],
      ['domain starting with -', { XMPP_DESK_DOMAIN: '-desk.localhost' }, 'XMPP_DESK_DOMAIN (deskDomain)', 'domain'],
      ['unknown log level', { LOG_LEVEL: 'verbose' }, 'LOG_LEVEL (logLevel)', 'debug, info, warn, error'],
      ['unknown server kind', { XMPP_SERVER: 'remote' }, 'XMPP_SERVER (xmppServer)', 'embedded, external'],
    ];
    for (const [what, env, names, why] of cases) {
      it(`rejects a ${what}, naming ${names}`, () => {
        const raw = Object.values(env)[0]!;
        expectError(() => load(env), names, why, JSON.stringify(raw));
      });
    }

    it('validates overrides too', () => {
      expectError(() => load({}, { httpPort: 70000 }), 'HTTP_PORT (httpPort)');
    });

    it('requires a component secret with an external XMPP server', () => {
      expectError(() => load({ XMPP_SERVER: 'external' }), 'XMPP_COMPONENT_SECRET', 'external');
      const c = load({ XMPP_SERVER: 'external', XMPP_COMPONENT_SECRET: 's3cret' });
      expect(c.xmppServer).to.equal('external');
      expect(c.xmppComponentSecret).to.equal('s3cret');
    });

    it('rejects duplicate domains', () => {
      expectError(() => load({ XMPP_GUEST_DOMAIN: 'localhost' }), 'must all differ');
      expectError(() => load({ XMPP_ROOMS_DOMAIN: 'desk.localhost' }), 'must all differ');
    });
  });

  describe('config file', () => {
    it('reads settings from the file named by SWITCHBOARD_CONFIG', () => {
      const p = file(JSON.stringify({ httpPort: 9000, dataDir: '/var/lib/sb', xmppDomain: 'example.org', xmppRequireTls: false }));
      const c = loadConfig({ SWITCHBOARD_CONFIG: p });
      expect(c.httpPort).to.equal(9000);
      expect(c.dataDir).to.equal('/var/lib/sb');
      expect(c.xmppDomain).to.equal('example.org');
      expect(c.guestDomain).to.equal('guest.example.org');
      expect(c.xmppRequireTls).to.equal(false);
      expect(c.publicUrl).to.equal('http://127.0.0.1:9000');
    });

    it('lets env vars override the file, and overrides beat both', () => {
      const p = file(JSON.stringify({ httpPort: 9000, logLevel: 'debug' }));
      const c = loadConfig({ SWITCHBOARD_CONFIG: p, HTTP_PORT: '9100' });
      expect(c.httpPort).to.equal(9100);
      expect(c.logLevel).to.equal('debug');
      expect(loadConfig({ SWITCHBOARD_CONFIG: p, HTTP_PORT: '9100' }, { httpPort: 9200 }).httpPort).to.equal(9200);
    });

    it('validates values from the file, naming the env var and key', () => {
      const p = file(JSON.stringify({ httpPort: 'eighty' }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), 'HTTP_PORT (httpPort)', '"eighty"');
    });

    it('rejects a non-string where a string is expected', () => {
      const p = file(JSON.stringify({ dataDir: { path: '/x' } }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), 'DATA_DIR (dataDir)', 'string');
    });

    it('rejects an unknown key, naming it and the file', () => {
      const p = file(JSON.stringify({ httpPort: 9000, htpPort: 9001 }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), '"htpPort"', p);
    });

    it('rejects an env var name used as a file key', () => {
      const p = file(JSON.stringify({ HTTP_PORT: 9000 }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), 'unknown setting "HTTP_PORT"');
    });

    it('fails when SWITCHBOARD_CONFIG points at a missing file', () => {
      const missing = join(dir, 'nope.json');
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: missing }), 'SWITCHBOARD_CONFIG', missing, 'does not exist');
    });

    it('fails on invalid JSON, naming the file', () => {
      const p = file('{ "httpPort": 9000, }');
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), p, 'not valid JSON');
    });

    it('reports a file whose JSON is null as a ConfigError', () => {
      // BUG: Object.keys(null) throws a TypeError, which main.ts does not catch as a ConfigError.
      const p = file('null');
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), p);
    });

    it('applies the external-server secret check to file values', () => {
      const p = file(JSON.stringify({ xmppServer: 'external' }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), 'XMPP_COMPONENT_SECRET');
      const q = file(JSON.stringify({ xmppServer: 'external', xmppComponentSecret: 'x' }));
      expect(loadConfig({ SWITCHBOARD_CONFIG: q }).xmppServer).to.equal('external');
    });

    it('rejects duplicate domains coming from the file', () => {
      const p = file(JSON.stringify({ xmppDomain: 'example.org', deskDomain: 'example.org' }));
      expectError(() => loadConfig({ SWITCHBOARD_CONFIG: p }), 'must all differ');
    });
  });
});
