// New-message alerts (seed 001): a short sound, which the customer can mute
// (remembered in this browser), and a browser notification while nobody sees
// the page. Messages within BURST_MS of the last notification replace it, so a
// burst shows as one notification with the last message.
import { unseen } from './embed.js';
import { strings } from './strings.js';

export const BURST_MS = 3_000;
const MUTE_KEY = 'switchboard:muted';

export class Alerts {
  private audio?: AudioContext;
  private shown?: { n: Notification; at: number; count: number };
  muted: boolean;

  constructor() {
    let stored: string | null = null;
    try { stored = localStorage.getItem(MUTE_KEY); } catch { /* storage blocked: not muted */ }
    this.muted = stored === '1';
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    try { localStorage.setItem(MUTE_KEY, muted ? '1' : '0'); } catch { /* see above */ }
  }

  /** Ask for notifications once, on a click of the customer's (browsers want a gesture). */
  askPermission(): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    Notification.requestPermission().catch(() => {});
    // Create the audio context inside the gesture too, or the browser keeps it suspended.
    this.context();
  }

  /** An agent's message arrived live. */
  message(from: string, body: string): void {
    if (!this.muted) this.beep();
    if (unseen()) this.notify(from, body);
  }

  /** The page is seen again: what the notification said is on screen now. */
  seen(): void {
    this.shown?.n.close();
    this.shown = undefined;
  }

  private context(): AudioContext | undefined {
    if (this.audio) return this.audio;
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return undefined;
    try { this.audio = new Ctor(); } catch { return undefined; }
    return this.audio;
  }

  /** Two short tones, made on the spot: no sound file to fetch. */
  private beep(): void {
    const ctx = this.context();
    if (!ctx) return;
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
    const t = ctx.currentTime;
    for (const [freq, start] of [[880, 0], [1320, 0.12]] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + start);
      gain.gain.exponentialRampToValueAtTime(0.15, t + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + start + 0.1);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t + start);
      osc.stop(t + start + 0.11);
    }
  }

  private notify(from: string, body: string): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const now = Date.now();
    const burst = this.shown && now - this.shown.at < BURST_MS ? this.shown : undefined;
    const count = (burst?.count ?? 0) + 1;
    this.shown?.n.close();
    try {
      const n = new Notification(count > 1 ? strings.notifyMany(count, from) : strings.notifyOne(from), { body, tag: 'switchboard-chat' });
      n.onclick = () => { window.focus(); n.close(); };
      this.shown = { n, at: now, count };
    } catch {
      this.shown = undefined; // some browsers allow notifications only from a service worker
    }
  }
}
