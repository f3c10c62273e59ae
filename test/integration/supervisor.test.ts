// The `switchboard` binary on embedded defaults: it initialises PostgreSQL in
// the data dir, spawns Prosody and the worker, restarts a crashed worker, and
// on SIGTERM stops everything — no orphan process, no stale pid file.
import { expect } from 'chai';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/ports.js';
import { alive, childrenOf, spawnNode, type Spawned } from '../support/processes.js';
import { waitUntil } from '../support/stack.js';

describe('supervisor (npm start on embedded defaults)', function () {
  this.timeout(120_000);
  let main: Spawned | undefined;
  let dir = '';
  after(async () => {
    if (main && main.proc.exitCode === null) { main.proc.kill('SIGKILL'); await main.exited; }
    if (dir && !process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
  });

  it('starts PostgreSQL, Prosody and the worker; restarts the worker; stops all cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-sup-'));
    chmodSync(dir, 0o755);
    const [http, pg, c2s, comp, xhttp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    main = spawnNode('main.js', {
      DATA_DIR: join(dir, 'data'), HTTP_PORT: String(http), PG_PORT: String(pg), XMPP_C2S_PORT: String(c2s),
      XMPP_COMPONENT_PORT: String(comp), XMPP_HTTP_PORT: String(xhttp), LOG_LEVEL: 'info',
      VOICE_ENABLED: 'false', // voice children: sip-supervisor.test.ts
    });
    await main.waitForLine(/Switchboard is up/, 90_000);
    expect(main.output.join('\n')).to.match(/Password: \S{16}/);
    const health = await fetch(`http://127.0.0.1:${http}/healthz`);
    expect(health.status).to.equal(200);
    const page = await fetch(`http://127.0.0.1:${http}/c/general`);
    expect(page.status).to.equal(200);

    const kids = childrenOf(main.proc.pid!);
    const find = (re: RegExp) => kids.find((k) => re.test(k.cmd));
    const postgres = find(/postgres/), prosody = find(/prosody/), worker = find(/worker\.js/);
    expect(postgres, 'postgres child').to.not.equal(undefined);
    expect(prosody, 'prosody child').to.not.equal(undefined);
    expect(worker, 'worker child').to.not.equal(undefined);
    expect(existsSync(join(dir, 'data', 'postgres', 'cluster', 'PG_VERSION'))).to.equal(true);
    expect(existsSync(join(dir, 'data', 'prosody', 'prosody.cfg.lua'))).to.equal(true);

    // A crashed worker is restarted.
    process.kill(worker!.pid, 'SIGKILL');
    await waitUntil(() => childrenOf(main!.proc.pid!).some((k) => /worker\.js/.test(k.cmd) && k.pid !== worker!.pid), 30_000, 'worker restarted');
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${http}/healthz`).catch(() => null))?.status === 200, 30_000, 'HTTP back');

    const all = childrenOf(main.proc.pid!).map((k) => k.pid);
    main.proc.kill('SIGTERM');
    expect(await main.exited).to.equal(0);
    for (const pid of all) expect(alive(pid), `child ${pid} still alive`).to.equal(false);
    expect(existsSync(join(dir, 'data', 'prosody', 'prosody.pid')), 'stale prosody.pid').to.equal(false);
    expect(existsSync(join(dir, 'data', 'postgres', 'cluster', 'postmaster.pid')), 'stale postmaster.pid').to.equal(false);
  });

  it('children die with the supervisor even when it is SIGKILLed (parent-death signal)', async () => {
    const [http, pg, c2s, comp, xhttp] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const sup = spawnNode('main.js', {
      DATA_DIR: join(dir, 'data'), HTTP_PORT: String(http), PG_PORT: String(pg), XMPP_C2S_PORT: String(c2s),
      XMPP_COMPONENT_PORT: String(comp), XMPP_HTTP_PORT: String(xhttp), LOG_LEVEL: 'info',
      VOICE_ENABLED: 'false', // voice children: sip-supervisor.test.ts
    });
    await sup.waitForLine(/Switchboard is up/, 90_000);
    const kids = childrenOf(sup.proc.pid!);
    expect(kids.length).to.be.at.least(3);
    sup.proc.kill('SIGKILL');
    await sup.exited;
    await waitUntil(() => kids.every((k) => !alive(k.pid)), 20_000, 'children gone');
  });

  it('a bad setting stops start-up with one line naming it', async () => {
    const bad = spawnNode('main.js', { HTTP_PORT: 'eighty', DATA_DIR: join(tmpdir(), 'never-created') });
    expect(await bad.exited).to.equal(2);
    expect(bad.output).to.deep.equal(['config: HTTP_PORT (httpPort) must be an integer, got "eighty"']);
  });
});
