// The attachment tray of the compose box: a paperclip (file picker, several at
// once), Ctrl+V of an image, a preview of each chosen file with a remove
// button, refusals next to them. At most the room's number of files, size and
// types (web/customer/upload.ts); sending takes the files and empties the tray.
import { h } from './dom.js';
import { isImage, refusal, type UploadPolicy } from './upload.js';
import { strings } from './strings.js';

interface Chosen { file: File; item: HTMLElement; preview?: string }

export class AttachTray {
  readonly button: HTMLButtonElement;
  readonly input: HTMLInputElement;
  readonly tray = h('ul', { class: 'attach-tray', id: 'attach-tray', 'aria-label': strings.attachmentsLabel });
  readonly error = h('p', { class: 'attach-error', id: 'attach-error', role: 'alert' });
  private chosen: Chosen[] = [];

  constructor(private readonly policy: UploadPolicy) {
    this.input = h('input', { type: 'file', id: 'attach-input', multiple: true, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true',
      accept: policy.accept.length ? policy.accept.join(',') : undefined });
    this.button = h('button', { type: 'button', id: 'attach', class: 'icon', 'aria-label': strings.attach, title: strings.attach }, '\u{1F4CE}');
    this.button.replaceChildren(clip());
    this.button.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => { this.add([...(this.input.files ?? [])]); this.input.value = ''; });
  }

  /** Ctrl+V in the compose box: images (screenshots) join the tray; text pastes as usual. */
  onPaste(e: ClipboardEvent): void {
    const files = [...(e.clipboardData?.items ?? [])].filter((i) => i.kind === 'file').map((i) => i.getAsFile()).filter((f): f is File => !!f);
    if (!files.length) return;
    e.preventDefault();
    // A pasted screenshot comes as "image.png": give it a name worth keeping.
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    this.add(files.map((f, i) => (f.name && f.name !== 'image.png' ? f : new File([f], `pasted-${stamp}${i ? `-${i}` : ''}.${(f.type.split('/')[1] || 'png').replace(/[^a-z0-9]/gi, '')}`, { type: f.type }))));
  }

  get count(): number { return this.chosen.length; }

  /** Hands over the chosen files and empties the tray. */
  take(): File[] {
    const files = this.chosen.map((c) => c.file);
    for (const c of this.chosen) if (c.preview) URL.revokeObjectURL(c.preview);
    this.chosen = [];
    this.tray.replaceChildren();
    this.error.textContent = '';
    return files;
  }

  setDisabled(disabled: boolean): void { this.button.disabled = disabled; }

  private add(files: File[]): void {
    const problems: string[] = [];
    for (const file of files) {
      const why = refusal(this.policy, this.chosen.length, file);
      if (why) { problems.push(why); continue; }
      const preview = isImage(file.name) || file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
      const remove = h('button', { type: 'button', class: 'remove', 'aria-label': strings.removeFile(file.name), title: strings.removeFile(file.name) }, '\u00d7');
      const item = h('li', { class: 'attach-item' },
        preview ? h('img', { src: preview, alt: '', class: 'attach-preview' }) : h('span', { class: 'attach-icon', 'aria-hidden': 'true' }, '\u{1F4C4}'),
        h('span', { class: 'attach-name' }, file.name), remove);
      const c: Chosen = { file, item, preview };
      remove.addEventListener('click', () => {
        this.chosen = this.chosen.filter((x) => x !== c);
        if (c.preview) URL.revokeObjectURL(c.preview);
        item.remove();
        this.button.focus();
      });
      this.chosen.push(c);
      this.tray.append(item);
    }
    this.error.textContent = [...new Set(problems)].join(' ');
  }
}

const SVG = 'http://www.w3.org/2000/svg';
function clip(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(SVG, 'path');
  p.setAttribute('d', 'M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7');
  p.setAttribute('fill', 'none');
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '2');
  p.setAttribute('stroke-linecap', 'round');
  svg.append(p);
  return svg;
}
