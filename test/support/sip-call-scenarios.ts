// sipp scenarios for calls through Kamailio's Record-Route (RFC 3261 §12.1,
// §16.12): the built-in uac/uas ignore Record-Route, these follow it.

const SDP = `v=0
o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
`;

/** An agent's phone: answers the INVITE (180, then 200 with a plain RTP answer), waits for the BYE. */
export function answerScenario(opts: { ringOnly?: boolean } = {}): string {
  const reply = (status: string, body = '') => `  <send${status.startsWith('200') ? ' retrans="500"' : ''}><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${body ? 'Content-Type: application/sdp\n' : ''}Content-Length: [len]

${body}]]></send>`;
  const end = opts.ringOnly
    ? `  <recv request="CANCEL"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$cseq] INVITE
Content-Length: 0

]]></send>
  <recv request="ACK"/>`
    : `${reply('200 OK', SDP)}
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="phone answers">
  <recv request="INVITE" crlf="true" rrs="true">
    <action><ereg regexp="CSeq: *([0-9]+)" search_in="msg" assign_to="all,cseq"/></action>
  </recv>
${reply('180 Ringing')}
${end}
  <Reference variables="all,cseq"/>
</scenario>
`;
}

export interface CallFlow {
  /** Request-URI user (an agent's SIP username, a conversation id, a number…). */
  to: string;
  from: string;
  domain: string;
  /** Digest credentials to answer a 407 with (agents). */
  auth?: { user: string; password: string };
  /** Extra headers on the INVITE. */
  headers?: string[];
  /** Final answer expected: 200 runs the call (ACK, BYE); anything else ends there. */
  final: number;
  /** Send CANCEL after the 180 instead of waiting for an answer. */
  cancel?: boolean;
  /** Once answered, wait for the callee's BYE instead of sending one. */
  calleeHangsUp?: boolean;
  /** Offer video too (an m=video line). */
  video?: boolean;
  /** Serial forking: several phones may ring (180 again and again) before the final answer. */
  forked?: boolean;
}

/** A caller: INVITE (digest on 407), then ACK and BYE along the route set. */
export function callScenario(f: CallFlow): string {
  const invite = (cseq: number, auth: string) => `  <send retrans="500"><![CDATA[
INVITE sip:${f.to}@${f.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:${f.from}@${f.domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${f.to}@${f.domain}>
Call-ID: [call_id]
CSeq: ${cseq} INVITE
Contact: <sip:${f.from}@[local_ip]:[local_port];transport=[transport]>${auth}${(f.headers ?? []).map((h) => `\n${h}`).join('')}
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SDP}${f.video ? 'm=video [media_port+2] RTP/AVP 96\na=rtpmap:96 VP8/90000\n' : ''}]]></send>
  <recv response="100" optional="true"/>`;
  const ackNon2xx = (cseq: number) => `  <send><![CDATA[
ACK sip:${f.to}@${f.domain} SIP/2.0
[last_Via:]
From: <sip:${f.from}@${f.domain}>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]></send>`;
  const inDialog = (method: string, cseq: number) => `  <send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
${method} [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
[routes]
From: <sip:${f.from}@${f.domain}>;tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:${f.from}@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0

]]></send>`;
  const steps: string[] = [];
  let cseq = 1;
  steps.push(invite(cseq, ''));
  if (f.auth) {
    steps.push('  <recv response="407" auth="true"/>', ackNon2xx(cseq));
    cseq++;
    steps.push(invite(cseq, `\n[authentication username=${f.auth.user} password=${f.auth.password}]`));
  }
  if (f.cancel) {
    steps.push('  <recv response="180"/>', `  <send><![CDATA[
CANCEL sip:${f.to}@${f.domain} SIP/2.0
[last_Via:]
From: <sip:${f.from}@${f.domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${f.to}@${f.domain}>
Call-ID: [call_id]
CSeq: ${cseq} CANCEL
Max-Forwards: 70
Content-Length: 0

]]></send>`, '  <recv response="200"/>', '  <recv response="487"/>', ackNon2xx(cseq));
  } else if (f.final === 200 && f.calleeHangsUp) {
    steps.push('  <recv response="180" optional="true"/>', '  <recv response="200" rrs="true"/>', inDialog('ACK', cseq), '  <recv request="BYE"/>', `  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>`);
  } else if (f.forked) {
    steps.push('  <label id="1"/>', '  <recv response="180" optional="true" next="1"/>', '  <recv response="183" optional="true" next="1"/>');
    if (f.final === 200) steps.push('  <recv response="200" rrs="true"/>', inDialog('ACK', cseq), '  <pause milliseconds="200"/>', inDialog('BYE', cseq + 1), '  <recv response="200"/>');
    else steps.push(`  <recv response="${f.final}"/>`, ackNon2xx(cseq));
  } else if (f.final === 200) {
    steps.push('  <recv response="180" optional="true"/>', '  <recv response="200" rrs="true"/>', inDialog('ACK', cseq), '  <pause milliseconds="200"/>', inDialog('BYE', cseq + 1), '  <recv response="200"/>');
  } else {
    steps.push('  <recv response="180" optional="true"/>', `  <recv response="${f.final}"/>`, ackNon2xx(cseq));
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="call">
${steps.join('\n')}
</scenario>
`;
}
