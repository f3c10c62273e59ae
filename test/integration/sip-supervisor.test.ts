// The `switchboard` binary with voice on: rtpengine and Kamailio are
// supervised children like PostgreSQL and Prosody — ready before the worker,
// restarted without leftovers, gone with the supervisor.
import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { sipOptions } from '../../sip/options-ping.js';
import { ngPing } from '../../sip/rtpengine/ng.js';
import { freePort, freeSipPort } from '../support/ports.js';
import { alive, childrenOf, descendantsOf, spawnNode, type Spawned } from '../support/processes.js';
import { waitUntil } from '../support/stack.js';

describe('supervisor with voice (rtpengine, Kamailio)', function () {
  this.timeout(120_000);
  let main: Spawned | undefined;
  let dir = '';
  after(async () => {
    if (main && main.proc.exitCode === null) { main.proc.kill('SIGKILL'); await main.exited; }
    if (dir && !process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  const ports = async () => {
    // One after the other, all different; SIP and rtpengine's control also need the UDP port free.
    const taken = new Set<number>();
    const pick = async (udp = false) => { for (;;) { const p = udp ? await freeSipPort() : await freePort(); if (!taken.has(p)) { taken.add(p); return p; } } };
    const [http, pg, c2s, comp, xhttp] = [await pick(), await pick(), await pick(), await pick(), await pick()];
    const [sip, ws, evapi, ng] = [await pick(true), await pick(), await pick(), await pick(true)];
    const media = 42000 + 200 * Math.floor(Math.random() * 80);
    return {
      http: http!, sip: sip!, ng: ng!,
      env: {
        DATA_DIR: join(dir, 'data'), HTTP_PORT: String(http), PG_PORT: String(pg), XMPP_C2S_PORT: String(c2s),
        XMPP_COMPONENT_PORT: String(comp), XMPP_HTTP_PORT: String(xhttp), LOG_LEVEL: 'info',
        SIP_PORT: String(sip), SIP_WS_PORT: String(ws), SIP_EVAPI_PORT: String(evapi), RTPENGINE_NG_PORT: String(ng),
        RTPENGINE_PORT_MIN: String(media), RTPENGINE_PORT_MAX: String(media + 99),
      },
    };
  };

  const wsHandshake = (url: string) => new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(url, 'sip');
    ws.once('open', () => { resolve(ws.protocol); ws.close(); });
    ws.once('error', reject);
  });

  it('starts rtpengine, then Kamailio, then the worker; a crashed Kamailio restarts with no leftovers; SIGTERM stops all', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sipsup-'));
    chmodSync(dir, 0o755);
    const p = await ports();
    main = spawnNode('main.js', p.env);
    await main.waitForLine(/Switchboard is up/, 90_000);
    const out = main.output.join('\n');
    expect(out.indexOf('rtpengine ready')).to.be.greaterThan(-1);
    expect(out.indexOf('rtpengine ready'), 'rtpengine before Kamailio').to.be.lessThan(out.indexOf('Kamailio ready'));
    expect(await ngPing('127.0.0.1', p.ng)).to.equal(true);
    expect(await sipOptions('127.0.0.1', p.sip)).to.equal(200);
    // SIP over WebSocket through the HTTP origin, relayed to Kamailio.
    expect(await wsHandshake(`ws://127.0.0.1:${p.http}/sip-ws`)).to.equal('sip');
    await waitUntil(() => main!.output.some((l) => /evapi: connected to Kamailio/.test(l)), 20_000, 'worker connected to Kamailio');

    const cfgFile = join(dir, 'data', 'kamailio', 'kamailio.cfg');
    expect(statSync(cfgFile).mode & 0o777, 'config (holds the evapi secret) private').to.equal(0o600);
    expect(readFileSync(cfgFile, 'utf8')).to.include(`listen=udp:127.0.0.1:${p.sip}`);
    expect(existsSync(join(dir, 'data', 'kamailio', 'run', 'kamailio.pid'))).to.equal(true);

    if (process.getuid?.() === 0) {
      // As root, each runs as its Debian package's system user.
      const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
      const userUid = (name: string) => Number(readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`))!.split(':')[2]);
      const kids = childrenOf(main.proc.pid!);
      expect(uidOf(kids.find((k) => /kamailio /.test(k.cmd))!.pid)).to.equal(userUid('kamailio'));
      expect(uidOf(kids.find((k) => /rtpengine /.test(k.cmd))!.pid)).to.equal(userUid('rtpengine'));
    }

    // SIGKILL Kamailio's main process: its workers go too, a new Kamailio takes the same ports.
    const kamailio = childrenOf(main.proc.pid!).find((k) => /kamailio /.test(k.cmd))!;
    expect(kamailio, 'kamailio child').to.not.equal(undefined);
    const workers = descendantsOf(kamailio.pid);
    expect(workers.length).to.be.greaterThan(2);
    process.kill(kamailio.pid, 'SIGKILL');
    await waitUntil(() => workers.every((w) => !alive(w.pid)), 20_000, 'old Kamailio workers gone');
    await waitUntil(() => childrenOf(main!.proc.pid!).some((k) => /kamailio /.test(k.cmd) && k.pid !== kamailio.pid), 30_000, 'Kamailio restarted');
    await waitUntil(async () => (await sipOptions('127.0.0.1', p.sip)) === 200, 30_000, 'restarted Kamailio answers');

    const all = descendantsOf(main.proc.pid!).map((k) => k.pid);
    main.proc.kill('SIGTERM');
    expect(await main.exited).to.equal(0);
    for (const pid of all) expect(alive(pid), `process ${pid} still alive`).to.equal(false);
    expect(existsSync(join(dir, 'data', 'kamailio', 'run', 'kamailio.pid')), 'stale kamailio.pid').to.equal(false);
  });

  it('Kamailio and rtpengine (and Kamailio\'s workers) die with a SIGKILLed supervisor', async () => {
    const p = await ports();
    const sup = spawnNode('main.js', p.env);
    await sup.waitForLine(/Switchboard is up/, 90_000);
    const all = descendantsOf(sup.proc.pid!);
    expect(all.some((k) => /rtpengine/.test(k.cmd))).to.equal(true);
    expect(all.filter((k) => /kamailio/.test(k.cmd)).length).to.be.greaterThan(2);
    sup.proc.kill('SIGKILL');
    await sup.exited;
    await waitUntil(() => all.every((k) => !alive(k.pid)), 20_000, 'all gone');
  });

  it('VOICE_ENABLED=false starts neither', async () => {
    const p = await ports();
    const sup = spawnNode('main.js', { ...p.env, VOICE_ENABLED: 'false' });
    await sup.waitForLine(/Switchboard is up/, 90_000);
    expect(descendantsOf(sup.proc.pid!).some((k) => /kamailio|rtpengine/.test(k.cmd))).to.equal(false);
    sup.proc.kill('SIGTERM');
    expect(await sup.exited).to.equal(0);
  });
});
