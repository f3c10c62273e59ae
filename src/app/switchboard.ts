// The composition root of the worker: store, XMPP services, routing, HTTP.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { defaultRoomSettings, DEFAULT_ROOM_SLUG } from '../core/room-settings.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Db } from '../db/pool.js';
import { ensureRoom } from '../db/repos/rooms.js';
import type { Logger } from '../log.js';
import { buildHttp } from '../http/app.js';
import { MucService } from '../../components/muc/service.js';
import { DeskService } from '../../components/desk/service.js';
import { SipControl } from '../../sip/control.js';
import { AgentDirectory, type AccountProvisioner } from './agents.js';
import { Conversations } from './conversations.js';
import { Routing } from './routing.js';

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
}

export interface Switchboard {
  cfg: Config; db: Db; http: FastifyInstance; url: string;
  agents: AgentDirectory; conversations: Conversations; routing: Routing; muc: MucService; desk: DeskService;
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

  const agents = new AgentDirectory(db, cfg, o.accounts, log);
  await agents.load();
  const xmpp = { host: cfg.xmppComponentHost, port: cfg.xmppComponentPort, secret: o.componentSecret, log };
  const muc = new MucService({ db, ...xmpp, domain: cfg.roomsDomain });
  const desk = new DeskService({ ...xmpp, domain: cfg.deskDomain });
  const conversations = new Conversations({ db, cfg, log, agents, muc, desk });
  const routing = new Routing(db, agents, {
    isAvailable: (jid) => desk.presence.available(jid),
    invite: (conv, room, jid, timeout) => conversations.invite(conv, room, jid, timeout),
    tellAgent: (jid, text) => desk.tell(jid, text),
  }, log);
  conversations.routing = routing;

  await agents.bootstrap(o.print ?? ((t) => process.stdout.write(t + '\n')));
  await muc.start(conversations);
  await desk.start(conversations, () => agents.jids());
  await routing.start();
  const sip = cfg.voiceEnabled ? new SipControl({ db, cfg, log }) : null;
  await sip?.start();

  const http = await buildHttp({ cfg, db, log, agents, conversations, routing, desk });
  const url = await http.listen({ host: cfg.httpHost, port: cfg.httpPort });
  log.info(`HTTP on ${url} — customer page ${cfg.publicUrl}/c/general, API docs ${cfg.publicUrl}/docs`);

  return {
    cfg, db, http, url, agents, conversations, routing, muc, desk, sip,
    async close() {
      routing.stop();
      await sip?.stop();
      await http.close();
      await Promise.all([muc.stop(), desk.stop()]);
      await db.end();
    },
  };
}
