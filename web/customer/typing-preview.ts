// The agents' typing preview (seed 000: they may read what the customer types
// before it is sent, unless the room hides it): XEP-0301 real-time text, the
// whole text each time, at most every PREVIEW_EVERY_MS.
export const PREVIEW_EVERY_MS = 600;

export class TypingPreview {
  private seq = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private text = '';
  private last = '';

  /** `send` gets the text and its sequence number; `enabled` false never sends. */
  constructor(private readonly enabled: boolean, private readonly send: (text: string, seq: number) => void) {}

  input(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    if (this.timer) return;
    this.flush();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.text !== this.last) this.flush();
    }, PREVIEW_EVERY_MS);
  }

  /** The message went out (or the chat ended): nothing pending. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.text = '';
    this.last = '';
  }

  private flush(): void {
    this.last = this.text;
    this.send(this.text, ++this.seq);
  }
}
