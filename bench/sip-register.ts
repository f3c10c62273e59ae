// REGISTER throughput with digest (RFC 3261 §10, §22.4): our stack (Kamailio
// asks our process for each user's HA1 over evapi, saves the contact and
// reports the contact set back) against a second Kamailio on the same machine
// with the same worker count whose credentials are static (each user's HA1
// written into its config, an htable filled at start). sipp registers the
// same users against both: REGISTER → 401 → REGISTER with credentials → 200
// counts as one registration. sipp takes the digest username only literally
// (a [field0] inside [authentication …] breaks the keyword), so each user is
// one sipp process, all running at once. Rounds alternate (static, ours, static, …) so
// the machine's other load falls on both alike. Prints REGISTER/s and
// failures of each run and the ratio ours / static (issue 5's target: ≥ 0.8).
//   node dist/bench/sip-register.js [--registers 12000] [--users 4] [--rate 10000] [--limit 200] [--children 2] [--rounds 2]
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAs } from '../src/supervisor/users.js';
import { sipOptions } from '../sip/options-ping.js';
import { freeSipPort } from '../test/support/ports.js';
import { startVoice, startVoiceStack } from '../test/support/voice.js';
import { numOption, SippRuns, sleep } from './lib.js';

const REGISTERS = Math.floor(numOption('registers', 'BENCH_REGISTERS', 12000));
/** Users = sipp processes, each registering its user over and over. */
const USERS = Math.floor(numOption('users', 'BENCH_USERS', 4));
const RATE = numOption('rate', 'BENCH_RATE', 10000);
/** sipp's cap on registrations in progress at once. */
const LIMIT = Math.floor(numOption('limit', 'BENCH_LIMIT', 200));
/** Kamailio's SIP worker processes, the same for both. */
const CHILDREN = Math.floor(numOption('children', 'BENCH_CHILDREN', 2));
const ROUNDS = Math.floor(numOption('rounds', 'BENCH_ROUNDS', 2));

/** One registration of this user. */
function registerScenario(domain: string, user: { username: string; password: string }): string {
  const request = (cseq: number, auth: string) => `  <send retrans="500"><![CDATA[
REGISTER sip:${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:${user.username}@${domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${user.username}@${domain}>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${user.username}@[local_ip]:[local_port];transport=[transport]>${auth}
Max-Forwards: 70
Expires: 300
User-Agent: sipp
Content-Length: 0

]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register with digest">
${request(1, '')}
  <recv response="401" auth="true"/>
${request(2, `\n[authentication username=${user.username} password=${user.password}]`)}
  <recv response="200"/>
</scenario>
`;
}

/** A Kamailio that only registers, with every user's HA1 in its config: the baseline. */
function staticConfig(o: { port: number; domain: string; realm: string; children: number; users: Array<{ username: string; ha1: string }> }): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=${o.children}
disable_tcp=yes
auto_aliases=no
alias="${o.domain}"
listen=udp:127.0.0.1:${o.port}
dns=no
rev_dns=no
use_dns_cache=off
enable_sctp=no
server_header="Server: static"

loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "auth.so"
loadmodule "htable.so"

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "max_contacts", 10)
modparam("htable", "htable", "users=>size=10;")

event_route[htable:mod-init] {
${o.users.map((u) => `\t$sht(users=>${u.username}) = "${u.ha1}";`).join('\n')}
}

request_route {
	if (!mf_process_maxfwd_header("10")) {
		sl_send_reply("483", "Too Many Hops");
		exit;
	}
	if (!sanity_check("17895", "7")) {
		exit;
	}
	if (is_method("OPTIONS") && uri == myself && $rU == $null) {
		sl_send_reply("200", "OK");
		exit;
	}
	if (!is_method("REGISTER")) {
		sl_send_reply("403", "Forbidden");
		exit;
	}
	if (!has_credentials("${o.realm}") || $au == $null) {
		www_challenge("${o.realm}", "1");
		exit;
	}
	$var(ha1) = "00000000000000000000000000000000";
	if ($sht(users=>$au) != $null) {
		$var(ha1) = $sht(users=>$au);
	}
	if (!pv_www_authenticate("${o.realm}", "$var(ha1)", "1")) {
		www_challenge("${o.realm}", "1");
		exit;
	}
	if ($au != $tU) {
		sl_send_reply("403", "Forbidden");
		exit;
	}
	consume_credentials();
	if (!save("location")) {
		sl_reply_error();
	}
}
`;
}

interface Run { ok: number; failed: number; seconds: number }

async function register(port: number, dir: string, users: number, label: string): Promise<Run> {
  const started = Date.now();
  const each = Math.ceil(REGISTERS / users);
  const outs = await Promise.all(Array.from({ length: users }, async (_, i) => (await sipps.run([`127.0.0.1:${port}`, '-sf', join(dir, `register-${i}.xml`), '-i', '127.0.0.1', '-p', String(await freeSipPort()),
    '-r', String(RATE / users), '-l', String(Math.max(1, Math.floor(LIMIT / users))), '-m', String(each), '-trace_err', ...(process.env.BENCH_TRACE ? ['-trace_msg'] : []),
    '-nostdin', '-timeout', '600s', '-timeout_error'], dir)).out));
  const seconds = (Date.now() - started) / 1000;
  const sum = (re: RegExp) => outs.reduce((s, out) => s + Number(re.exec(out)?.[1] ?? NaN), 0);
  const ok = sum(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/);
  const failed = sum(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/);
  console.log(`  ${label.padEnd(22)} ${ok} registered, ${failed} failed, ${seconds.toFixed(1)} s → ${(ok / seconds).toFixed(0)} REGISTER/s`);
  if (!(failed === 0) || process.env.BENCH_SIPP_OUT) console.log(outs[0]!.slice(-2500));
  return { ok, failed, seconds };
}

async function main(): Promise<void> {
  const voice = await startVoice({ overrides: { sipFloodLimit: 1_000_000 }, tuning: { children: CHILDREN, minExpires: 1, usrlocTimer: 1 } });
  const stack = await startVoiceStack(voice);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-register-'));
  chmodSync(dir, 0o755);
  let baseline: ChildProcess | null = null;
  try {
    const users: Array<{ username: string; password: string; ha1: string }> = [];
    for (let i = 0; i < USERS; i++) {
      const { agent, sipInfo } = await stack.sb.agents.create({ name: `Bench Agent ${i}`, jid: `benchreg${i}@${stack.cfg.xmppDomain}`, password: 'agent-password' });
      const ha1 = (await stack.sb.db.query('SELECT sip_ha1 FROM agents WHERE id = $1', [agent.id])).rows[0].sip_ha1 as string;
      users.push({ username: sipInfo.username, password: sipInfo.password, ha1 });
    }
    users.forEach((u, i) => writeFileSync(join(dir, `register-${i}.xml`), registerScenario(stack.cfg.sipDomain, u)));

    const port = await freeSipPort();
    const kdir = join(dir, 'static');
    mkdirSync(kdir, { mode: 0o755 });
    writeFileSync(join(kdir, 'kamailio.cfg'), staticConfig({ port, domain: stack.cfg.sipDomain, realm: stack.cfg.sipRealm, children: CHILDREN, users }));
    const who = runAs('kamailio');
    if (who.uid !== undefined) { chownSync(kdir, who.uid, who.gid!); chownSync(join(kdir, 'kamailio.cfg'), who.uid, who.gid!); }
    baseline = spawn('kamailio', ['-DD', '-E', '-f', join(kdir, 'kamailio.cfg'), '-Y', kdir, '-P', join(kdir, 'kamailio.pid')],
      { uid: who.uid, gid: who.gid, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    // Its own process group (it forks workers): stopped with the group, also when we are interrupted.
    const group = baseline.pid!;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { try { process.kill(-group, 'SIGTERM'); } catch { /* gone */ } process.exit(130); });
    let err = '';
    baseline.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-3000); });
    for (let i = 0; (await sipOptions('127.0.0.1', port, 300)) !== 200; i++) {
      if (i > 50 || baseline.exitCode !== null) throw new Error(`the static Kamailio did not start:\n${err}`);
      await sleep(100);
    }

    console.log(`sip-register: ${REGISTERS} registrations (digest) of ${USERS} users (one sipp each), offered at ${RATE}/s, ≤ ${LIMIT} at once, Kamailio with ${CHILDREN} workers`);
    const runs = { ours: [] as Run[], static: [] as Run[] };
    // What Kamailio asked or told our process during our runs (per registration, it tells where the time goes).
    const heard = new Map<string, number>();
    stack.sb.sip!.evapi.on('message', (m) => heard.set(m.type, (heard.get(m.type) ?? 0) + 1));
    for (let round = 1; round <= ROUNDS; round++) {
      runs.static.push(await register(port, dir, USERS, `static, round ${round}`));
      runs.ours.push(await register(stack.cfg.sipPort, dir, USERS, `ours (evapi), round ${round}`));
    }
    const rate = (rs: Run[]) => rs.reduce((s, r) => s + r.ok, 0) / rs.reduce((s, r) => s + r.seconds, 0);
    const failed = (rs: Run[]) => rs.reduce((s, r) => s + r.failed, 0);
    const [ours, base] = [rate(runs.ours), rate(runs.static)];
    console.log(`static credentials: ${base.toFixed(0)} REGISTER/s, ${failed(runs.static)} failed`);
    console.log(`ours (HA1 over evapi): ${ours.toFixed(0)} REGISTER/s, ${failed(runs.ours)} failed`);
    console.log(`evapi messages from Kamailio during our runs: ${[...heard].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`);
    console.log(`ratio ours / static: ${(ours / base).toFixed(2)} (target ≥ 0.8: ${ours / base >= 0.8 ? 'met' : 'MISSED'})`);
    const load = (await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ');
    console.log(`load average after the runs: ${load}`);
  } finally {
    if (baseline && baseline.exitCode === null) { try { process.kill(-baseline.pid!, 'SIGTERM'); } catch { /* gone */ } }
    await sipps.teardown({ dir, stack, voice });
  }
}

const sipps = new SippRuns();


main().catch((e: Error) => { console.error(e.stack); process.exit(1); });
