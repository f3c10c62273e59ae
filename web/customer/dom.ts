// A tiny element factory: plain DOM, text always set as text (never HTML).
type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** Random id for stanzas; crypto.getRandomValues works outside secure contexts too. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Text with http(s) links made clickable; everything else stays text. */
export function linkify(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const re = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    out.append(text.slice(last, at), h('a', { href: m[0], target: '_blank', rel: 'noopener noreferrer' }, m[0]));
    last = at + m[0].length;
  }
  out.append(text.slice(last));
  return out;
}
