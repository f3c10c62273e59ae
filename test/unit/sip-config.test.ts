import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CONFIG_FILES, renderKamailioConfig } from '../../sip/kamailio/render.js';
import { rtpengineArgs } from '../../src/supervisor/rtpengine.js';

describe('config: voice settings', () => {
  let dir: string, empty: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'switchboard-sipcfg-')); empty = join(dir, 'empty.json'); writeFileSync(empty, '{}'); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: Record<string, string> = {}) => loadConfig({ SWITCHBOARD_CONFIG: empty, ...env });

  it('defaults: voice on, embedded, SIP domain and realm follow the XMPP domain', () => {
    const c = load({ XMPP_DOMAIN: 'example.com' });
    expect([c.voiceEnabled, c.sipServer, c.sipDomain, c.sipRealm]).to.deep.equal([true, 'embedded', 'example.com', 'example.com']);
    expect([c.sipPort, c.sipWsPort, c.sipEvapiPort, c.rtpengineNgPort, c.rtpenginePortMin, c.rtpenginePortMax]).to.deep.equal([5060, 5066, 8448, 2223, 30000, 39999]);
    expect(c.sipWebsocketUrl).to.equal('ws://127.0.0.1:5066');
    expect(load({ SIP_WS_PORT: '7000' }).sipWebsocketUrl).to.equal('ws://127.0.0.1:7000');
  });

  const bad: Array<[Record<string, string>, string]> = [
    [{ RTPENGINE_PORT_MIN: '40000', RTPENGINE_PORT_MAX: '30000' }, 'RTPENGINE_PORT_MIN (rtpenginePortMin) must be below RTPENGINE_PORT_MAX'],
    [{ SIP_SERVER: 'external' }, 'SIP_EVAPI_SECRET (sipEvapiSecret) is required when SIP_SERVER=external'],
    [{ SIP_SERVER: 'remote' }, 'SIP_SERVER (sipServer) must be one of embedded, external'],
    [{ SIP_REALM: 'Bad Realm"' }, 'SIP_REALM (sipRealm) must be a lower-case domain name'],
    [{ VOICE_ENABLED: 'maybe' }, 'VOICE_ENABLED (voiceEnabled) must be true or false'],
  ];
  for (const [env, msg] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => expect(() => load(env)).to.throw(ConfigError, msg));
  }
  it('SIP_SERVER=external is fine with voice off', () => expect(load({ SIP_SERVER: 'external', VOICE_ENABLED: 'false' }).voiceEnabled).to.equal(false));

  it('renders the Kamailio config files with every placeholder filled', () => {
    const files = renderKamailioConfig(load(), 'a-secret-of-24-characters', '/var/lib/switchboard/kamailio');
    expect(Object.keys(files)).to.deep.equal([...CONFIG_FILES]);
    for (const text of Object.values(files)) expect(text.replace('{{PLACEHOLDERS}}', '')).to.not.match(/\{\{/);
    expect(files['kamailio.cfg']).to.include('listen=udp:127.0.0.1:5060').and.include('include_file "/var/lib/switchboard/kamailio/calls.cfg"');
    expect(files['evapi.cfg']).to.include('"a-secret-of-24-characters"');
    expect(() => renderKamailioConfig(load(), 'short', '/x')).to.throw(/secret/);
    expect(() => renderKamailioConfig(load({ SIP_INTERFACE: '1.2.3.4"; evil' }), 'a-secret-of-24-characters', '/x')).to.throw(/SIP_INTERFACE/);
  });

  it('rtpengine reads no system config and listens for control on 127.0.0.1 only', () => {
    const args = rtpengineArgs(load({ RTPENGINE_NG_PORT: '2999' }));
    expect(args).to.include('--config-file=none').and.include('--listen-ng=127.0.0.1:2999').and.include('--port-min=30000');
  });
});
