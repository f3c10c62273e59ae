// A real SMTP server (smtp-server) in the test process, on 127.0.0.1.
// Keeps what it received, parsed; can require a login, refuse recipients,
// or run a hook when a message is in (before it answers 250).
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime.js';

export interface Received { from: string; to: string[]; raw: string; mail: ParsedMail; user: string | undefined }

export interface TestSmtpOptions {
  port?: number;
  /** Require this login (AUTH PLAIN/LOGIN over the plain connection). */
  auth?: { user: string; pass: string };
  /** Recipients refused with 550 at RCPT TO. */
  refuse?: RegExp;
  /** Runs once the message is in (and in `received`), before the server answers; throwing makes it answer 451. */
  onMessage?: (r: Received) => Promise<void> | void;
  /** Stops reading the first message's DATA for this long: a large message then stalls mid-way, as on a slow link. */
  stallFirstDataMs?: number;
}

export class TestSmtp {
  readonly received: Received[] = [];
  /** Messages whose DATA began (complete or not). */
  dataStarted = 0;
  /** Whether the connection that carried the first DATA has closed. */
  firstDataClosed = false;
  private constructor(private readonly server: SMTPServer, readonly port: number) {}

  static async start(o: TestSmtpOptions = {}): Promise<TestSmtp> {
    let self: TestSmtp | null = null;
    let firstSession: string | null = null;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: !o.auth, logger: false,
      onAuth(auth, _s, cb) {
        if (o.auth && auth.username === o.auth.user && auth.password === o.auth.pass) return cb(null, { user: auth.username });
        cb(new Error('Invalid username or password'));
      },
      onClose(session) {
        if (self && session.id === firstSession) self.firstDataClosed = true;
      },
      onRcptTo(addr, _s, cb) {
        if (o.refuse?.test(addr.address)) return cb(Object.assign(new Error(`${addr.address}: no such mailbox`), { responseCode: 550 }));
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        const first = self!.dataStarted++ === 0;
        if (first) firstSession = session.id;
        if (first && o.stallFirstDataMs) {
          stream.pause();
          setTimeout(() => stream.resume(), o.stallFirstDataMs);
        }
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const r: Received = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((a) => a.address), raw, mail: parseMail(raw), user: session.user as string | undefined,
          };
          self!.received.push(r);
          Promise.resolve(o.onMessage?.(r)).then(() => cb(), (e: Error) => cb(Object.assign(new Error(e.message), { responseCode: 451 })));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.server.address() as { port: number }).port;
    self = new TestSmtp(server, port);
    return self;
  }

  get url(): string { return `smtp://127.0.0.1:${this.port}`; }

  /** Received messages addressed to `address`. */
  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
