// Benchmark of call setups to a room's voice entry through the real stack:
// sipp customers (each with its own conversation and token) call
// sip:room-<slug>@domain at a fixed rate; our process ranks the agents and
// Kamailio rings them (serial forking, rtpengine anchoring the media); one
// sipp UAS answers for every agent's registered contact. Each call is
// answered, ACKed and hung up at once. Prints setups/s, failures and sipp's
// response times.
//   node dist/bench/sip-acd.js [--calls 1000] [--rate 100] [--agents 20] [--limit 200] [--children 2]
// BENCH_SIPP_TRACE=1 keeps sipp's message log of the customers' side (with KEEP_TEST_DIRS=1, in the run's temp dir).
// BENCH_QUERIES=1 also prints the database statements run while the calls
// were placed, per call and by statement (this process's pg clients).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRoomSettings } from '../src/core/room-settings.js';
import { insertRoom } from '../src/db/repos/rooms.js';
import { answerScenario } from '../test/support/sip-call-scenarios.js';
import { registerScenario } from '../test/support/sip-scenarios.js';
import { sipp, udpBound } from '../test/support/sipp.js';
import { freeSipPort } from '../test/support/ports.js';
import { startVoice, startVoiceStack } from '../test/support/voice.js';
import { countQueries, fmt, numOption, sleep, SippRuns, summarize } from './lib.js';

const CALLS = Math.floor(numOption('calls', 'BENCH_CALLS', 1000));
const RATE = numOption('rate', 'BENCH_RATE', 100);
const AGENTS = Math.floor(numOption('agents', 'BENCH_AGENTS', 20));
/** sipp's cap on calls open at once. */
const LIMIT = Math.floor(numOption('limit', 'BENCH_LIMIT', 200));
/** Kamailio's SIP worker processes (the tests run 2; the default setting is 4). */
const CHILDREN = Math.floor(numOption('children', 'BENCH_CHILDREN', 2));

/** A customer's call to the room's entry, fields from the injection file: conversation id; token. */
function customerScenario(slug: string, domain: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="room call">
  <send retrans="500" start_rtd="1"><![CDATA[
INVITE sip:room-${slug}@${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:customer@${domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:room-${slug}@${domain}>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:customer@[local_ip]:[local_port]>
X-Conversation: [field0]
X-Conversation-Token: [field1]
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 1 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true" rtd="1"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
[routes]
From: <sip:customer@${domain}>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  <!-- The 180 may also come just after the ACK: a short wait for it, then the BYE either way. -->
  <recv response="180" timeout="100" ontimeout="9"/>
  <label id="9"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
[routes]
From: <sip:customer@${domain}>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
  <!-- Kamailio's two workers may pass the phone's 180 on after its 200: it then comes while the
       BYE waits for its answer. (An optional="global" 180 sent sipp back to waiting for the
       INVITE's 200, which never came again: the call, and the run, hung until sipp's timeout.) -->
  <recv response="180" optional="true"/>
  <recv response="200"/>
</scenario>
`;
}

async function main(): Promise<void> {
  const voice = await startVoice({ overrides: { sipFloodLimit: 100_000 }, tuning: { children: CHILDREN, minExpires: 1, usrlocTimer: 1 } });
  const stack = await startVoiceStack(voice);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-sip-'));
  try {
    const slug = 'bench-calls';
    const d = defaultRoomSettings();
    await insertRoom(stack.sb.db, { slug, kind: 'public', settings: { ...d, buttons: { ...d.buttons, voice: true } } });
    // Every agent's contact is the one answering sipp (registered from its port first).
    const phonePort = await freeSipPort();
    for (let i = 0; i < AGENTS; i++) {
      const { agent, sipInfo } = await stack.sb.agents.create({ name: `Bench Agent ${i}`, jid: `benchagent${i}@${stack.cfg.xmppDomain}`, password: 'agent-password', maxChats: 100_000 });
      const reg = await sipp(registerScenario({ user: sipInfo.username, password: sipInfo.password, domain: stack.cfg.sipDomain, expect: [401, 200] }), { port: stack.cfg.sipPort, localPort: phonePort });
      if (reg.exitCode !== 0) throw new Error(`register ${agent.jid}: ${reg.output}`);
    }
    progress(`${AGENTS} agents registered`);
    const lines = ['SEQUENTIAL'];
    for (let i = 0; i < CALLS; i++) {
      const c = await stack.sb.conversations.start(slug, { name: `Caller ${i}`, message: 'Please call me' });
      lines.push(`${c.id};${c.customerToken}`);
    }
    writeFileSync(join(dir, 'calls.csv'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'uac.xml'), customerScenario(slug, stack.cfg.sipDomain));
    writeFileSync(join(dir, 'uas.xml'), answerScenario());
    // With -m equal to the calls placed, runs here ended with the last calls never answered (ringing
    // every agent in turn for minutes, then 480): the answering sipp had counted more incoming calls
    // than were placed. It gets room to spare and is killed at the end.
    const uas = sipps.run(['-sf', join(dir, 'uas.xml'), '-i', '127.0.0.1', '-p', String(phonePort), '-m', String(CALLS * 2), '-nostdin', '-timeout', '600s', '-mi', '127.0.0.1', '-mp', String(await freeSipPort())], dir);
    await udpBound(phonePort);
    progress(`${CALLS} conversations started; calling`);
    const queries = countQueries();
    const started = Date.now();
    const uac = await sipps.run([`127.0.0.1:${stack.cfg.sipPort}`, '-sf', join(dir, 'uac.xml'), '-inf', join(dir, 'calls.csv'), '-i', '127.0.0.1', '-p', String(await freeSipPort()),
      '-r', String(RATE), '-l', String(LIMIT), '-m', String(CALLS), '-trace_rtt', '-rtt_freq', '1', '-trace_err', ...(process.env.BENCH_SIPP_TRACE ? ['-trace_msg'] : []), '-nostdin', '-timeout', '600s', '-mi', '127.0.0.1', '-mp', String(await freeSipPort())], dir);
    const seconds = (Date.now() - started) / 1000;
    // The last calls' "ended" events may still be on their way.
    if (process.env.BENCH_QUERIES) await sleep(2000);
    queries.stop();
    const ok = Number(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(uac.out)?.[1] ?? NaN);
    const failed = Number(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(uac.out)?.[1] ?? NaN);
    // sipp's per-call INVITE → 200 times (trace_rtt: date_ms;response_time_ms;rtd_no).
    const rtts = readdirSync(dir).filter((f) => f.endsWith('_rtt.csv')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').slice(1))
      .map((l) => Number(l.split(';')[1])).filter((x) => Number.isFinite(x) && x >= 0);
    console.log(`sip-acd: ${CALLS} calls offered at ${RATE}/s to ${AGENTS} agents, Kamailio with ${CHILDREN} workers: ${ok} set up and hung up, ${failed} failed, ${seconds.toFixed(1)} s → ${(ok / seconds).toFixed(0)} setups/s`);
    console.log(`  INVITE → 200 OK: ${fmt(summarize(rtts))}`);
    if (process.env.BENCH_QUERIES) queries.print(CALLS, 'call');
    if (failed > 0) for (const f of readdirSync(dir).filter((x) => x.endsWith('_errors.log'))) console.log(readFileSync(join(dir, f), 'utf8').slice(-2000));
    if (failed > 0 || process.env.BENCH_SIPP_OUT) console.log(uac.out.slice(-3000));
    void uas;
  } finally {
    await sipps.teardown({ dir, stack, voice });
  }
}

const sipps = new SippRuns();

/** Where a run is (on stderr: a run that never ends shows where it stopped). */
const progress = (what: string) => console.error(`sip-acd: ${what}`);


main().catch((e: Error) => { console.error(e.stack); process.exit(1); });
