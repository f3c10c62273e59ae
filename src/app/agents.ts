// The agent directory: agents by JID and id, kept in memory (they change
// rarely and are read on every presence and join), and agent creation with
// the XMPP account on the spawned server.
import type { Config } from '../config.js';
import { invalid, AppError } from '../core/errors.js';
import type { Db } from '../db/pool.js';
import { allAgents, countAgents, insertAgent, type Agent } from '../db/repos/agents.js';
import type { Logger } from '../log.js';
import { hashPassword, secret } from './secrets.js';

export interface NewAgentInput { name: string; email?: string | null; jid?: string; password?: string; nickname?: string; role?: Agent['role']; maxChats?: number }

export interface AccountProvisioner { register(jid: string, password: string): Promise<void> }

const LOCAL = /^[a-z0-9._-]{1,64}$/;

export class AgentDirectory {
  private byJidMap = new Map<string, Agent>();
  private byIdMap = new Map<string, Agent>();

  constructor(private readonly db: Db, private readonly cfg: Config, private readonly accounts: AccountProvisioner | null, private readonly log: Logger) {}

  async load(): Promise<void> {
    const list = await allAgents(this.db);
    this.byJidMap = new Map(list.map((a) => [a.jid, a]));
    this.byIdMap = new Map(list.map((a) => [a.id, a]));
  }

  byJid(jid: string): Agent | undefined { return this.byJidMap.get(jid); }
  byId(id: string): Agent | undefined { return this.byIdMap.get(id); }
  all(): Agent[] { return [...this.byIdMap.values()]; }
  jids(): string[] { return [...this.byJidMap.keys()]; }

  async create(input: NewAgentInput): Promise<{ agent: Agent; password: string | null }> {
    const local = (input.jid ? (input.jid.split('@')[0] ?? '') : (input.email?.split('@')[0] ?? input.name)).toLowerCase().replace(/[^a-z0-9._-]+/g, '.').replace(/^\.+|\.+$/g, '');
    if (input.jid) {
      const [l, d] = input.jid.split('@');
      if (!l || !LOCAL.test(l) || d !== this.cfg.xmppDomain) throw invalid('jid', `must be name@${this.cfg.xmppDomain} with letters, digits, . _ -`);
    } else if (!LOCAL.test(local)) throw invalid('jid', 'cannot be derived from the name; give one');
    const jid = input.jid ?? `${local}@${this.cfg.xmppDomain}`;
    if (this.byJidMap.has(jid)) throw new AppError('conflict', `jid: ${jid} is already an agent`, 'jid');
    const generated = input.password === undefined;
    const password = input.password ?? secret(16);
    const agent = await insertAgent(this.db, {
      jid, name: input.name, nickname: input.nickname ?? input.name.split(/\s+/)[0]!, email: input.email ?? null,
      role: input.role ?? 'normal', maxChats: input.maxChats ?? this.cfg.defaultMaxChats, passwordHash: await hashPassword(password),
    }).catch((e: { code?: string; constraint?: string }) => {
      if (e.code === '23505') throw new AppError('conflict', e.constraint?.includes('email') ? 'email: already used by another agent' : `jid: ${jid} is already an agent`, e.constraint?.includes('email') ? 'email' : 'jid');
      throw e;
    });
    if (this.accounts) {
      try { await this.accounts.register(jid, password); } catch (e) {
        await this.db.query('DELETE FROM agents WHERE id = $1', [agent.id]);
        throw new Error(`could not create the XMPP account ${jid}: ${(e as Error).message}`);
      }
    }
    this.byJidMap.set(jid, agent);
    this.byIdMap.set(agent.id, agent);
    this.log.info(`agent ${jid} created`);
    return { agent, password: generated ? password : null };
  }

  /** First start: an administrator whose credentials are printed once. */
  async bootstrap(print: (text: string) => void): Promise<void> {
    if ((await countAgents(this.db)) > 0) return;
    const { agent, password } = await this.create({ name: 'Administrator', nickname: 'Admin', jid: `admin@${this.cfg.xmppDomain}`, role: 'administrator' });
    print([
      '',
      '=== Switchboard: first start — administrator account (shown only this once) ===',
      `  XMPP login (Gajim, Conversations, Dino, Profanity): ${agent.jid}`,
      `  Password: ${password}`,
      `  Admin API: POST ${this.cfg.publicUrl}/api/v1/auth/login  {"login":"${agent.jid}","password":"…"}`,
      `  Customer page: ${this.cfg.publicUrl}/c/general`,
      this.accounts ? '' : '  (External XMPP server: create this account there with the same password.)',
      '',
    ].join('\n'));
  }
}
