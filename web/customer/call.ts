// Voice and video calls from the customer page, with sip.js over /sip-ws
// (RFC 7118) on this origin. A call goes to the room's entry
// sip:room-<slug>@<SIP domain> with the conversation's id and customer token
// (X-Conversation, X-Conversation-Token): the server rings the agent serving
// the conversation, or its agents one after the other while it is queued.
// Buttons show only as the room allows (its voice and video buttons; screen
// sharing when its customer actions allow it, in video calls whose answer
// accepted video, so the agent's client receives it). Two hooks: addFormCallButtons() on the
// contact form, addChatCallPanel() on the chat (escalation, or the call the
// form's button asked for).
import { Inviter, SessionState, UserAgent } from 'sip.js';
import type { SessionDescriptionHandler } from 'sip.js/lib/platform/web/index.js';
import type { ConversationTicket } from './api.js';
import { callStrings as t } from './call-strings.js';
import { h } from './dom.js';

type Kind = 'voice' | 'video';

interface CallRules { voice: boolean; video: boolean; screenSharing: boolean; domain: string; websocket: string }

const rules = new Map<string, Promise<CallRules | null>>();

/** What calls a room allows, from its public settings and the server's voice settings; null = none. */
function callRules(slug: string): Promise<CallRules | null> {
  let r = rules.get(slug);
  if (!r) {
    r = (async () => {
      const [room, voice] = await Promise.all([
        fetch(`/api/v1/rooms/${encodeURIComponent(slug)}/public`).then((x) => (x.ok ? x.json() : null)),
        fetch('/api/v1/voice').then((x) => (x.ok ? x.json() : null)),
      ]) as [{ buttons?: { voice?: boolean; video?: boolean }; actions?: { screenSharing?: boolean } } | null, { enabled?: boolean; domain?: string; websocketPath?: string } | null];
      if (!room || !voice?.enabled || typeof voice.domain !== 'string') return null;
      const voiceOk = room.buttons?.voice === true;
      const videoOk = room.buttons?.video === true;
      if (!voiceOk && !videoOk) return null;
      const websocket = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${voice.websocketPath ?? '/sip-ws'}`;
      return { voice: voiceOk, video: videoOk, screenSharing: videoOk && room.actions?.screenSharing === true && typeof navigator.mediaDevices?.getDisplayMedia === 'function', domain: voice.domain, websocket };
    })().catch(() => null);
    rules.set(slug, r);
  }
  return r;
}

/** The call panel's own layout (the page's stylesheet knows nothing of calls). */
function addStyles(): void {
  if (document.getElementById('call-styles')) return;
  const style = h('style', { id: 'call-styles' });
  style.textContent = `.call{display:flex;flex-direction:column;gap:.4rem;padding:.5rem 1.25rem}
.call-buttons,.call-controls{display:flex;flex-wrap:wrap;gap:.4rem}
.call-status:empty{display:none}.call-status{margin:0}
.call-media{position:relative}.call-remote{width:100%;max-height:50vh;background:#000;border-radius:6px}
.call-local{position:absolute;right:.5rem;bottom:.5rem;width:25%;border-radius:4px;background:#222}
.call [hidden]{display:none!important}.call-hangup{background:#b91c1c;border-color:#b91c1c}`;
  document.head.append(style);
}

const kinds = (r: CallRules): Kind[] => [...(r.voice ? ['voice' as const] : []), ...(r.video ? ['video' as const] : [])];

/** The call a form button asked for, started once the chat shows. */
let requested: Kind | null = null;

/** Form hook: voice/video buttons that send the form, then call. */
export function addFormCallButtons(form: HTMLFormElement, slug: string): void {
  void callRules(slug).then((r) => {
    if (!r) return;
    const bar = h('div', { class: 'call-start' });
    // The room's voice and video links (/c/<slug>?start=voice|video) make that button the main one.
    const asked = new URLSearchParams(location.search).get('start');
    for (const kind of kinds(r)) {
      const b = h('button', { type: 'button', class: asked === kind ? 'primary' : 'secondary', 'data-call': kind }, kind === 'voice' ? t.voiceCall : t.videoCall);
      b.addEventListener('click', () => { requested = kind; form.requestSubmit(); });
      bar.append(b);
    }
    const start = form.querySelector('#start');
    start?.addEventListener('click', () => { requested = null; });
    if (start) start.before(bar); else form.append(bar);
  });
}

/** Chat hook: call buttons above the messages; starts the call the form asked for. */
export function addChatCallPanel(chat: HTMLElement, slug: string, ticket: ConversationTicket): void {
  const want = requested;
  requested = null;
  void callRules(slug).then((r) => {
    if (!r) return;
    const panel = new CallPanel(r, slug, ticket);
    const bar = chat.querySelector('.chat-bar');
    if (bar) bar.after(panel.root); else chat.prepend(panel.root);
    if (want && kinds(r).includes(want)) void panel.start(want);
  });
}

const toggle = (label: string, pressed = false) => h('button', { type: 'button', class: 'secondary', 'aria-pressed': pressed ? 'true' : 'false' }, label);

class CallPanel {
  readonly root = h('section', { class: 'call', 'data-state': 'idle', 'aria-label': t.controls });
  private readonly status = h('p', { class: 'call-status', role: 'status' });
  private readonly starters = h('div', { class: 'call-buttons' });
  private readonly controls = h('div', { class: 'call-controls', hidden: true });
  private readonly remote = h('video', { class: 'call-remote', autoplay: true, playsinline: true, 'aria-label': t.agentVideo });
  private readonly local = h('video', { class: 'call-local', autoplay: true, playsinline: true, muted: true, 'aria-label': t.yourVideo });
  private readonly mute = toggle(t.mute);
  private readonly camera = toggle(t.cameraOff);
  private readonly share = toggle(t.shareScreen);
  private readonly full = h('button', { type: 'button', class: 'secondary' }, t.fullScreen);
  private readonly hangup = h('button', { type: 'button', class: 'primary call-hangup' }, t.hangUp);
  private ua?: UserAgent;
  private session?: Inviter;
  private kind: Kind = 'voice';
  private screen?: MediaStreamTrack;

  constructor(private readonly r: CallRules, private readonly slug: string, private readonly ticket: ConversationTicket) {
    addStyles();
    for (const kind of kinds(r)) {
      const b = h('button', { type: 'button', class: 'secondary', 'data-call': kind }, kind === 'voice' ? t.voiceCall : t.videoCall);
      b.addEventListener('click', () => void this.start(kind));
      this.starters.append(b);
    }
    this.local.muted = true; // the attribute alone does not mute a media element
    this.controls.append(this.mute, this.camera, this.share, this.full, this.hangup);
    this.root.append(this.starters, this.status, h('div', { class: 'call-media' }, this.remote, this.local), this.controls);
    this.mute.addEventListener('click', () => this.setMuted(this.mute.getAttribute('aria-pressed') !== 'true'));
    this.camera.addEventListener('click', () => this.setCameraOff(this.camera.getAttribute('aria-pressed') !== 'true'));
    this.share.addEventListener('click', () => void (this.screen ? this.stopSharing() : this.startSharing()));
    this.full.addEventListener('click', () => void this.remote.requestFullscreen?.().catch(() => {}));
    this.hangup.addEventListener('click', () => void this.hangUp());
    this.show('idle');
  }

  async start(kind: Kind): Promise<void> {
    if (this.session) return;
    this.kind = kind;
    this.show('calling', t.calling);
    try {
      this.ua = new UserAgent({
        transportOptions: { server: this.r.websocket }, logLevel: 'error',
        sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
      });
      await this.ua.start();
      const target = UserAgent.makeURI(`sip:room-${this.slug}@${this.r.domain}`);
      if (!target) throw new Error('bad room address');
      const session = new Inviter(this.ua, target, {
        extraHeaders: [`X-Conversation: ${this.ticket.id}`, `X-Conversation-Token: ${this.ticket.customerToken}`],
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: kind === 'video' } },
      });
      this.session = session;
      let refusal: number | null = null;
      session.stateChange.addListener((s) => {
        if (s === SessionState.Established) this.connected();
        if (s === SessionState.Terminated) void this.ended(refusal);
      });
      await session.invite({
        requestDelegate: {
          onProgress: (res) => { if (res.message.statusCode === 180 || res.message.statusCode === 183) this.show('ringing', t.ringing); },
          onReject: (res) => { refusal = res.message.statusCode ?? 500; },
        },
      });
    } catch {
      await this.ended(0);
    }
  }

  private get sdh(): SessionDescriptionHandler | undefined {
    return this.session?.sessionDescriptionHandler as SessionDescriptionHandler | undefined;
  }

  private connected(): void {
    const sdh = this.sdh;
    if (!sdh) return;
    this.remote.srcObject = sdh.remoteMediaStream;
    this.local.srcObject = sdh.localMediaStream;
    // A video call the agent's client answered without video (or refused it) is audio only.
    const video = this.kind === 'video' && (sdh.peerConnection?.getTransceivers() ?? [])
      .some((x) => x.receiver.track.kind === 'video' && (x.currentDirection === 'sendrecv' || x.currentDirection === 'sendonly'));
    this.remote.hidden = !video;
    this.local.hidden = !video;
    this.mute.hidden = false;
    this.camera.hidden = !video;
    this.full.hidden = !video;
    this.share.hidden = !(video && this.r.screenSharing);
    this.show('connected', t.connected);
    // A SIP phone's first key frame is lost (rtpengine drops RTCP feedback toward
    // plain RTP): ask for a fresh one once media flows (RFC 5168).
    if (video) setTimeout(() => void this.session?.info({ requestOptions: { body: {
      contentDisposition: 'render', contentType: 'application/media_control+xml',
      content: '<?xml version="1.0" encoding="utf-8" ?><media_control><vc_primitive><to_encoder><picture_fast_update/></to_encoder></vc_primitive></media_control>',
    } } }).catch(() => {}), 300);
  }

  private senders(kind: 'audio' | 'video'): RTCRtpSender[] {
    return this.sdh?.peerConnection?.getSenders().filter((s) => s.track?.kind === kind) ?? [];
  }

  private setMuted(on: boolean): void {
    for (const s of this.senders('audio')) if (s.track) s.track.enabled = !on;
    this.mute.setAttribute('aria-pressed', String(on));
    this.mute.textContent = on ? t.unmute : t.mute;
  }

  private setCameraOff(on: boolean): void {
    for (const s of this.senders('video')) if (s.track) s.track.enabled = !on;
    this.camera.setAttribute('aria-pressed', String(on));
    this.camera.textContent = on ? t.cameraOn : t.cameraOff;
  }

  /** The screen replaces the camera on the video sender (no renegotiation); its end brings the camera back. */
  private async startSharing(): Promise<void> {
    const sender = this.senders('video')[0];
    if (!sender) return;
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      const track = display.getVideoTracks()[0];
      if (!track) return;
      await sender.replaceTrack(track);
      this.screen = track;
      track.addEventListener('ended', () => void this.stopSharing());
      this.local.srcObject = display;
      this.share.setAttribute('aria-pressed', 'true');
      this.share.textContent = t.stopSharing;
    } catch { /* the customer cancelled the picker */ }
  }

  private async stopSharing(): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    this.screen = undefined;
    screen.stop();
    const camera = this.sdh?.localMediaStream.getVideoTracks()[0] ?? null;
    await this.senders('video')[0]?.replaceTrack(camera).catch(() => {});
    if (this.sdh) this.local.srcObject = this.sdh.localMediaStream;
    this.share.setAttribute('aria-pressed', 'false');
    this.share.textContent = t.shareScreen;
  }

  async hangUp(): Promise<void> {
    const s = this.session;
    if (!s) return;
    if (s.state === SessionState.Established) await s.bye().catch(() => {});
    else if (s.state === SessionState.Establishing || s.state === SessionState.Initial) await s.cancel().catch(() => {});
  }

  private async ended(refusal: number | null): Promise<void> {
    if (!this.session && !this.ua) return;
    this.screen?.stop();
    this.screen = undefined;
    this.session = undefined;
    const ua = this.ua;
    this.ua = undefined;
    this.remote.srcObject = null;
    this.local.srcObject = null;
    await ua?.stop().catch(() => {});
    const text = refusal === 480 || refusal === 486 || refusal === 408 ? t.unavailable
      : refusal === 403 ? t.refused : refusal === 0 ? t.failed : t.ended;
    this.show('ended', text);
  }

  private show(state: 'idle' | 'calling' | 'ringing' | 'connected' | 'ended', text = ''): void {
    const inCall = state === 'calling' || state === 'ringing' || state === 'connected';
    this.root.dataset.state = state;
    this.status.textContent = text;
    this.starters.hidden = inCall;
    this.controls.hidden = !inCall;
    for (const el of [this.mute, this.camera, this.share, this.full]) el.hidden = state !== 'connected' || el.hidden;
    if (state !== 'connected') { this.remote.hidden = true; this.local.hidden = true; }
    if (!inCall) { this.setMuted(false); this.setCameraOff(false); }
  }
}
