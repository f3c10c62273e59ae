// The composition root of the worker: store, XMPP services, routing, HTTP.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { defaultRoomSettings, DEFAULT_ROOM_SLUG } from '../core/room-settings.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Db } from '../db/pool.js';
import { ensureRoom } from '../db/repos/rooms.js';
import { conversationById } from '../db/repos/conversations.js';
import { queueTexts } from '../core/texts.js';
import type { Logger } from '../log.js';
import { buildHttp } from '../http/app.js';
import { MailService } from '../mail/index.js';
import { smtpSettings } from '../db/repos/company-settings.js';
import { MucService } from '../../components/muc/service.js';
import { DeskService } from '../../components/desk/service.js';
import { SipControl } from '../../sip/control.js';
import { AgentDirectory, type AccountProvisioner } from './agents.js';
import { Conversations } from './conversations.js';
import { Routing } from './routing.js';
import { QueueBehaviour } from './queue-behaviour.js';
import { Audit } from './audit.js';
import { adminEvents, type AdminEvents, type UsageSources } from './events.js';
import { Sessions } from './sessions.js';
import { OfflineDesk } from './offline.js';
import { sipPorts } from './sip-ports.js';
import { systemClock, type Clock } from '../core/clock.js';

export interface SwitchboardOptions {
  cfg: Config;
  log: Logger;
  databaseUrl: string;
  componentSecret: string;
  /** Creates XMPP accounts; null when the XMPP server is not ours. */
  accounts: AccountProvisioner | null;
  print?: (text: string) => void;
  /** Listen on cfg.httpPort (default) or not at all (0 = any free port). */
  listen?: boolean;
  /** Time for sessions, rate limits and the audit log (tests move it by hand). */
  clock?: Clock;
  /** Least time between two rounds of queue-status pushes to waiting customers (default 1 s). */
  queueStatusThrottleMs?: number;
}

export interface Switchboard {
  cfg: Config; db: Db; http: FastifyInstance; url: string; clock: Clock; sessions: Sessions;
  agents: AgentDirectory; conversations: Conversations; routing: Routing; queue: QueueBehaviour; muc: MucService; desk: DeskService;
  mail: MailService; offline: OfflineDesk;
  /** Kamailio control and the SIP registry; null when voice is off. */
  sip: SipControl | null;
  close(): Promise<void>;
}

export async function startSwitchboard(o: SwitchboardOptions): Promise<Switchboard> {
  const { cfg, log } = o;
  const db = createPool(o.databaseUrl, log, 20);
  const applied = await migrate(db);
  if (applied.length) log.info(`migrations applied: ${applied.join(', ')}`);
  await ensureRoom(db, DEFAULT_ROOM_SLUG, defaultRoomSettings());

  const clock = o.clock ?? systemClock;
  const audit = new Audit(clock);
  const sessions = new Sessions(db, clock);
  const mail = new MailService({ db, cfg, log, smtp: () => smtpSettings(db) });
  const events: AdminEvents = adminEvents(db, mail, clock, log);
  const usage: UsageSources = { emails: async () => ({ ...(await mail.usage()) }) };
  const agents = new AgentDirectory(db, cfg, o.accounts, log, audit);
  await agents.load();
  const xmpp = { host: cfg.xmppComponentHost, port: cfg.xmppComponentPort, secret: o.componentSecret, log };
  const muc = new MucService({ db, ...xmpp, domain: cfg.roomsDomain });
  const desk = new DeskService({ ...xmpp, domain: cfg.deskDomain });
  const conversations = new Conversations({ db, cfg, log, agents, muc, desk });
  // Set once voice starts: agents who only use a SIP client get chats as SIP MESSAGE (sip/chat/).
  let sip: SipControl | null = null;
  const viaSip = (jid: string) => sip?.chat?.reachesJid(jid) ?? false;
  // Reached over SIP and not set "away" at the desk (sip:desk@… takes the same commands).
  const sipAvailable = (jid: string) => viaSip(jid) && desk.presence.manual(jid) !== 'away';
  const available = (jid: string) => desk.presence.available(jid) || sipAvailable(jid);
  const routing = new Routing(db, agents, {
    isAvailable: available,
    isAway: (jid) => desk.presence.shows(jid).some((show) => show === 'away' || show === 'xa'),
    invite: (conv, room, jid, timeout) => { conversations.invite(conv, room, jid, timeout); if (viaSip(jid)) sip!.chat!.offer(conv, room, jid, timeout); },
    tellAgent: (jid, text) => desk.tell(jid, text), // the desk's notices reach SIP too (tellListeners below)
  }, log);
  conversations.commands.desk.available = available;
  desk.tellListeners.push((jid, text) => { if (viaSip(jid)) sip!.chat!.tell(jid, text); });
  conversations.routing = routing;
  const queue = new QueueBehaviour({
    db, log, muc, agents, room: (id) => routing.room(id), isAvailable: available, kick: () => routing.kick(),
    tellAgent: (jid, text) => desk.tell(jid, text),
    closeAsTimeout: async (conv, text) => { await conversations.close(conv, 'system', { disposition: 'timeout', text }); },
    closeAbandoned: async (id) => {
      const conv = await conversationById(db, id);
      if (conv?.status === 'queued') await conversations.close(conv, 'customer', { onlyIfQueued: true, text: queueTexts.customerGone });
    },
    statusThrottleMs: o.queueStatusThrottleMs,
  });
  conversations.queue = queue;
  routing.hooks = queue;
  agents.onDeleted = (a) => routing.availability(a.id, false);
  const offline = new OfflineDesk({ db, cfg, log, clock, mail, conversations });
  conversations.onAgentAvailable = () => offline.agentAvailable(true);

  await agents.bootstrap(o.print ?? ((t) => process.stdout.write(t + '\n')));
  await conversations.commands.start();
  await muc.start(conversations);
  await desk.start(conversations, () => agents.jids());
  await queue.start();
  await routing.start();
  await mail.start();
  // The supervisor passes the evapi secret of the Kamailio it started; a worker run alone needs SIP_EVAPI_SECRET.
  if (cfg.voiceEnabled && !cfg.sipEvapiSecret) log.warn('voice: no SIP_EVAPI_SECRET, so no SIP control (calls and registrations get 503)');
  const recheck = (agentId: string) => {
    const jid = agents.byId(agentId)?.jid;
    if (jid) routing.availability(agentId, available(jid)).catch((e: Error) => log.error(`availability of ${agentId}: ${e.message}`));
  };
  sip = cfg.voiceEnabled && cfg.sipEvapiSecret ? new SipControl({
    db, cfg, log, app: sipPorts({ db, agents, desk, muc, routing }),
    chat: { muc, routing, agents, deskCommand: (jid, text) => conversations.deskCommand(jid, text), availabilityChanged: recheck,
      transfers: conversations.commands.transfers },
  }) : null;
  if (sip) {
    const control = sip;
    // Kamailio keeps agents' HA1 for re-REGISTERs: a changed password or a deleted agent drops it.
    agents.onSipChanged = (username) => control.forget(username);
    const deleted = agents.onDeleted;
    agents.onDeleted = async (a) => { await control.forget(); await deleted(a); };
    muc.onLine = (room, line) => control.chat?.line(room, line);
    control.registry.on('change', (c) => recheck(c.agentId));
    // Transfers and invitations reach agents on SIP MESSAGE only, from the conversation's address.
    conversations.commands.transfers.sip = { reaches: viaSip, available: sipAvailable, say: (conv, jid, text) => control.chat?.say(conv, jid, text) };
  }
  await sip?.start();

  const http = await buildHttp({ cfg, db, log, clock, sessions, audit, events, usage, agents, conversations, routing, desk, mail, offline });
  const url = await http.listen({ host: cfg.httpHost, port: cfg.httpPort });
  log.info(`HTTP on ${url} — customer page ${cfg.publicUrl}/c/general, API docs ${cfg.publicUrl}/docs`);

  return {
    cfg, db, http, url, clock, sessions, agents, conversations, routing, queue, muc, desk, mail, offline, sip,
    async close() {
      routing.stop();
      conversations.commands.stop();
      queue.stop();
      await sip?.stop();
      await mail.stop();
      await http.close();
      await Promise.all([muc.stop(), desk.stop()]);
      await db.end();
    },
  };
}
