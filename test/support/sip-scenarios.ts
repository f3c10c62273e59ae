// sipp scenarios for the registrar (RFC 3261 §10): one REGISTER per expected
// answer; after a 401 the next REGISTER carries digest credentials.

export interface RegisterFlow {
  user: string;
  /** The password sipp answers challenges with. */
  password: string;
  domain: string;
  /** Expires header; 0 un-registers. */
  expires?: number;
  /** `*` removes every contact of the user (with expires 0). */
  wildcard?: boolean;
  /** The status codes expected, in order; sipp fails the call on anything else. */
  expect: number[];
  /**
   * The Allow header (RFC 3261 §20.5), e.g. listing MESSAGE. Default: a phone's
   * call methods, no MESSAGE. null sends none, and the server then asks the
   * client with OPTIONS, which a sipp playing a call's answerer would take
   * for an unexpected call.
   */
  allow?: string | null;
  /** Accept headers (RFC 3261 §20.1), one per entry, as Linphone sends them. */
  accept?: string[];
}

const xmlText = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

const PHONE_ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS';
const allowOf = (f: RegisterFlow) => (f.allow === undefined ? PHONE_ALLOW : f.allow);

export function registerScenario(f: RegisterFlow): string {
  const steps = f.expect.map((code, i) => {
    const auth = i > 0 && f.expect[i - 1] === 401 ? `\n[authentication username=${f.user} password=${f.password}]` : '';
    const contact = f.wildcard ? '*' : `<sip:${f.user}@[local_ip]:[local_port];transport=[transport]>`;
    return `  <send retrans="500"><![CDATA[
REGISTER sip:${f.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:${f.user}@${f.domain}>;tag=[call_number]
To: <sip:${f.user}@${f.domain}>
Call-ID: [call_id]
CSeq: ${i + 1} REGISTER
Contact: ${contact}${auth}
Max-Forwards: 70
Expires: ${f.expires ?? 300}${allowOf(f) ? `\nAllow: ${allowOf(f)}` : ''}${(f.accept ?? []).map((a) => `\nAccept: ${a}`).join('')}
User-Agent: sipp
Content-Length: 0

]]></send>
  <recv response="${code}"${code === 401 ? ' auth="true"' : ''}/>`;
  });
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${xmlText(`register ${f.user}`)}">
${steps.join('\n')}
</scenario>
`;
}
