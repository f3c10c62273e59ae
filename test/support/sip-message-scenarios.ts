// sipp scenarios for SIP MESSAGE (RFC 3428): an agent's client receiving
// MESSAGEs (each its own transaction, answered 200), and sending one with
// digest credentials when challenged (407).

/** Answers one MESSAGE with 200 OK; run with `calls` = how many to take. */
export function messageSinkScenario(): string {
  return answerScenario('MESSAGE');
}

/** Answers one request of `method` with 200 OK, with extra header lines if given (e.g. `Allow: …`). */
export function answerScenario(method: string, headers: string[] = []): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${method.toLowerCase()} answer">
  <recv request="${method}" crlf="true"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]${headers.map((h) => `\n${h}`).join('')}
Content-Length: 0

]]></send>
</scenario>
`;
}

const cdata = (s: string) => s.replace(/]]>/g, ']] >');

export interface MessageFlow { from: string; to: string; domain: string; body: string; auth?: { user: string; password: string }; final: number; contentType?: string; headers?: string[] }

export function messageScenario(f: MessageFlow): string {
  const send = (cseq: number, auth: string) => `  <send retrans="500"><![CDATA[
MESSAGE sip:${f.to}@${f.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:${f.from}@${f.domain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:${f.to}@${f.domain}>
Call-ID: [call_id]
CSeq: ${cseq} MESSAGE${auth}${(f.headers ?? []).map((x) => `\n${x}`).join('')}
Max-Forwards: 70
Content-Type: ${f.contentType ?? 'text/plain;charset=UTF-8'}
Content-Length: [len]

${cdata(f.body)}]]></send>`;
  const steps = [send(1, '')];
  if (f.auth) steps.push('  <recv response="407" auth="true"/>', send(2, `\n[authentication username=${f.auth.user} password=${f.auth.password}]`));
  steps.push(`  <recv response="${f.final}"/>`);
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="message">
${steps.join('\n')}
</scenario>
`;
}
