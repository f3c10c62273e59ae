// The operator directory: agents by JID and id, kept in memory (read on every
// presence and join), and their lifecycle — create (XMPP account, SIP info,
// private room), update, delete (history kept) — each recorded in the audit log.
import type { Config } from '../config.js';
import { AppError, conflict, invalid } from '../core/errors.js';
import { defaultRoomSettings } from '../core/room-settings.js';
import { inTransaction, type Db, type Tx } from '../db/pool.js';
import {
  agentById, allAgents, countAgents, deleteAgent, insertAgent, setDepartments, sipSecrets, updateAgent,
  type Agent, type AgentFields, type Role,
} from '../db/repos/agents.js';
import { deleteRoom, insertRoom, privateRoomOf, slugTaken } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import type { Audit } from './audit.js';
import type { Actor } from './sessions.js';
import { hashPassword, secret } from './secrets.js';
import { newSipSecrets, renewSipPassword, sipInfo, type SipInfo } from './sip-info.js';

export interface NewAgentInput extends Omit<AgentFields, 'passwordHash'> {
  name: string; jid?: string; password?: string; departmentIds?: string[];
}
export interface AgentChanges extends Omit<AgentFields, 'passwordHash'> { password?: string; departmentIds?: string[] }

export interface AccountProvisioner { register(jid: string, password: string): Promise<void>; remove(jid: string): Promise<void> }

const LOCAL = /^[a-z0-9._-]{1,64}$/;

export class AgentDirectory {
  private byJidMap = new Map<string, Agent>();
  private byIdMap = new Map<string, Agent>();
  /** Called after an agent is deleted (routing withdraws their offers). */
  onDeleted: (agent: Agent) => Promise<void> = async () => {};
  /** Called after an agent's SIP password changed (Kamailio forgets the HA1 it keeps for that username). */
  onSipChanged: (username: string) => Promise<void> = async () => {};

  constructor(private readonly db: Db, private readonly cfg: Config, private readonly accounts: AccountProvisioner | null,
    private readonly log: Logger, private readonly audit: Audit) {}

  async load(): Promise<void> {
    const list = await allAgents(this.db);
    this.byJidMap = new Map(list.map((a) => [a.jid, a]));
    this.byIdMap = new Map(list.map((a) => [a.id, a]));
  }

  byJid(jid: string): Agent | undefined { return this.byJidMap.get(jid); }
  byId(id: string): Agent | undefined { return this.byIdMap.get(id); }
  all(): Agent[] { return [...this.byIdMap.values()]; }
  jids(): string[] { return [...this.byJidMap.keys()]; }

  private remember(a: Agent): void {
    const old = this.byIdMap.get(a.id);
    if (old) this.byJidMap.delete(old.jid);
    this.byIdMap.set(a.id, a);
    this.byJidMap.set(a.jid, a);
  }

  async sipInfo(id: string): Promise<SipInfo | null> {
    const s = await sipSecrets(this.db, id);
    return s ? sipInfo(this.cfg, s) : null;
  }

  /** A new SIP password (the old one stops working at once); the SIP info with it, shown this once. */
  async renewSipPassword(id: string, actor: Actor | null): Promise<SipInfo> {
    const agent = this.byIdMap.get(id);
    if (!agent) throw new AppError('not_found', 'id: no such agent', 'id');
    const s = await inTransaction(this.db, async (tx) => {
      const renewed = await renewSipPassword(tx, this.cfg, id);
      if (!renewed) throw new AppError('not_found', 'id: no such agent', 'id');
      await this.audit.record(tx, actor, { action: 'update', resource: 'agent', id, after: { sipPassword: 'renewed' } });
      return renewed;
    });
    await this.onSipChanged(s.username);
    return sipInfo(this.cfg, s);
  }

  async create(input: NewAgentInput, actor: Actor | null = null): Promise<{ agent: Agent; password: string | null; sipInfo: SipInfo }> {
    const local = (input.jid ? (input.jid.split('@')[0] ?? '') : (input.email?.split('@')[0] ?? input.name)).toLowerCase().replace(/[^a-z0-9._-]+/g, '.').replace(/^\.+|\.+$/g, '');
    if (input.jid) {
      const [l, d] = input.jid.split('@');
      if (!l || !LOCAL.test(l) || d !== this.cfg.xmppDomain) throw invalid('jid', `must be name@${this.cfg.xmppDomain} with letters, digits, . _ -`);
    } else if (!LOCAL.test(local)) throw invalid('jid', 'cannot be derived from the name; give one');
    const jid = input.jid ?? `${local}@${this.cfg.xmppDomain}`;
    if (this.byJidMap.has(jid)) throw conflict('jid', `${jid} is already an agent`);
    const generated = input.password === undefined;
    const password = input.password ?? secret(16);
    const sip = newSipSecrets(this.cfg, jid.split('@')[0]!);
    const agent = await inTransaction(this.db, async (tx) => {
      const a = await insertAgent(tx, {
        ...input, jid, nickname: input.nickname ?? input.name.split(/\s+/)[0]!, role: input.role ?? 'normal',
        maxChats: input.maxChats ?? this.cfg.defaultMaxChats, passwordHash: await hashPassword(password), sip,
      }).catch(uniqueViolation(jid));
      if (input.departmentIds?.length) await setDepartments(tx, a.id, input.departmentIds).catch(unknownDepartment);
      await this.createPrivateRoom(tx, a);
      const created = (await agentById(tx, a.id))!;
      await this.audit.record(tx, actor, { action: 'create', resource: 'agent', id: a.id, after: created });
      // Inside the transaction: a failed account leaves no operator behind.
      if (this.accounts) await this.accounts.register(jid, password).catch((e: Error) => { throw new Error(`could not create the XMPP account ${jid}: ${e.message}`); });
      return created;
    });
    this.remember(agent);
    this.log.info(`agent ${jid} created`);
    return { agent, password: generated ? password : null, sipInfo: sipInfo(this.cfg, sip) };
  }

  async update(id: string, changes: AgentChanges, actor: Actor | null): Promise<Agent> {
    const before = this.byIdMap.get(id);
    if (!before) throw new AppError('not_found', 'id: no such agent', 'id');
    if (changes.role === 'normal' && before.role === 'administrator' && (await countAgents(this.db, { role: 'administrator' })) <= 1) {
      throw conflict('role', 'the last administrator cannot become a normal operator');
    }
    const { password, departmentIds, ...fields } = changes;
    const after = await inTransaction(this.db, async (tx) => {
      const a = await updateAgent(tx, id, { ...fields, ...(password !== undefined ? { passwordHash: await hashPassword(password) } : {}) }).catch(uniqueViolation(before.jid));
      if (!a) throw new AppError('not_found', 'id: no such agent', 'id');
      if (departmentIds) await setDepartments(tx, id, departmentIds).catch(unknownDepartment);
      const now = (await agentById(tx, id))!;
      await this.audit.record(tx, actor, { action: 'update', resource: 'agent', id, before, after: now });
      if (password !== undefined && this.accounts) await this.accounts.register(before.jid, password);
      return now;
    });
    this.remember(after);
    return after;
  }

  async remove(id: string, actor: Actor | null): Promise<void> {
    const agent = this.byIdMap.get(id);
    if (!agent) throw new AppError('not_found', 'id: no such agent', 'id');
    if (actor?.agent?.id === id) throw conflict('id', 'you cannot delete your own account');
    if (agent.role === 'administrator' && (await countAgents(this.db, { role: 'administrator' })) <= 1) throw conflict('id', 'the last administrator cannot be deleted');
    await inTransaction(this.db, async (tx) => {
      if (!(await deleteAgent(tx, id))) throw new AppError('not_found', 'id: no such agent', 'id');
      const room = await privateRoomOf(tx, id);
      if (room) await deleteRoom(tx, room.id);
      await this.audit.record(tx, actor, { action: 'delete', resource: 'agent', id, before: agent });
    });
    this.byIdMap.delete(id);
    this.byJidMap.delete(agent.jid);
    if (this.accounts) await this.accounts.remove(agent.jid).catch((e: Error) => this.log.warn(`could not remove the XMPP account ${agent.jid}: ${e.message}`));
    await this.onDeleted(agent);
    this.log.info(`agent ${agent.jid} deleted`);
  }

  /** Every operator has a private room whose chats go to them only (seed 000). */
  private async createPrivateRoom(tx: Tx, a: Agent): Promise<void> {
    const base = `agent-${a.jid.split('@')[0]!.replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 54);
    let slug = base;
    for (let i = 2; await slugTaken(tx, slug); i++) slug = `${base}-${i}`;
    await insertRoom(tx, { slug, kind: 'private', ownerAgentId: a.id, settings: { ...defaultRoomSettings(), name: `${a.name} (private)` } });
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

export type { Role };

const uniqueViolation = (jid: string) => (e: { code?: string; constraint?: string }): never => {
  if (e.code === '23505') {
    if (e.constraint?.includes('email')) throw conflict('email', 'already used by another agent');
    throw conflict('jid', `${jid} is already an agent`);
  }
  throw e;
};

const unknownDepartment = (e: { code?: string }): never => {
  if (e.code === '23503') throw invalid('departmentIds', 'names a department that does not exist');
  throw e;
};
