// The agent web console at /agent: stock Converse.js (served from its npm
// package) set up for this server, for agents without a desktop XMPP client.
// Offers arrive as group-chat invitations; accepting one joins the
// conversation's MUC room, which is how an agent takes a chat.
interface AgentConsoleConfig { domain: string; mucDomain: string; deskJid: string; websocketPath: string; assetsPath: string }
type Converse = { initialize(settings: Record<string, unknown>): Promise<void> };

const cfg = JSON.parse(document.getElementById('switchboard-agent')?.textContent ?? '{}') as AgentConsoleConfig;
const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';

function start(converse: Converse): void {
  // Converse's full-screen footer shows its sponsors' logos, fetched from its
  // project's web site: the console must load nothing from elsewhere, so an
  // empty element takes the footer's name first (Converse skips names taken).
  if (!customElements.get('converse-footer')) customElements.define('converse-footer', class extends HTMLElement {});
  void converse.initialize(settings);
}

const settings = {
  assets_path: cfg.assetsPath,
  websocket_url: scheme + location.host + cfg.websocketPath,
  discover_connection_methods: false, // our WebSocket is on this origin, nothing to look up
  authentication: 'login',
  default_domain: cfg.domain, // "alice" logs in as alice@<domain>
  muc_domain: cfg.mucDomain,
  muc_nickname_from_jid: true, // the rooms service puts the agent's own nickname anyway
  allow_muc_invitations: true,
  // An offer's invitation also has a text body for clients without invitations; opening it as a
  // one-to-one chat with the room would take the room's address and stop Converse from joining it.
  allow_non_roster_messaging: false,
  auto_join_on_invite: false, // an offer is accepted (or ignored) by the agent
  auto_join_private_chats: [cfg.deskJid], // "status", "decline", "help" to the desk
  allow_registration: false,
  // Conversations end for good: bookmarking them would rejoin dead rooms at every sign-in.
  allow_bookmarks: false,
  muc_respect_autojoin: false,
  // The rooms send their history on join (XEP-0045 §7.2.15): ask for it, the first message included.
  muc_history_max_stanzas: 100,
  auto_away: 0, // away means no offers: never go away behind the agent's back
  auto_xa: 0,
  view_mode: 'fullscreen',
  i18n: 'en',
  show_client_info: false,
  loglevel: 'warn',
  blacklisted_plugins: ['converse-omemo'],
  autocomplete_providers_url: '', // no list of public servers from the internet
  use_system_emojis: true,
};

// converse.min.js is an ES module: it may run before or after this script, and says when it is ready.
const loaded = (window as unknown as { converse?: Converse }).converse;
if (loaded) start(loaded);
else window.addEventListener('converse-loaded', (e) => start((e as CustomEvent<{ converse?: Converse }>).detail?.converse ?? (window as unknown as { converse: Converse }).converse), { once: true });
