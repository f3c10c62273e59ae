// When the page runs inside the pop-up widget's iframe (web/widget): the
// widget says whether its panel is open; the page tells it about agents'
// messages that arrive while the panel is closed (the launcher's badge).
const embedded = window.parent !== window;
let panelOpen = true;

if (embedded) {
  window.addEventListener('message', (e) => {
    const data = e.data as { source?: unknown; type?: unknown; open?: unknown } | null;
    if (e.source !== window.parent || data?.source !== 'switchboard-widget' || data.type !== 'panel') return;
    panelOpen = data.open === true;
  });
}

// Escape inside the chat minimises the widget's panel, as it does on the panel's own bar.
if (embedded) {
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    window.parent.postMessage({ source: 'switchboard-page', type: 'close' }, '*');
  });
}

/** True when nobody can see the page: a hidden tab, or the widget's panel closed. */
export function unseen(): boolean {
  return document.hidden || (embedded && !panelOpen);
}

/** An agent said something: the widget counts it if its panel is closed. */
export function tellWidget(): void {
  // The count carries nothing private, and the host page's origin is not known here.
  if (embedded && !panelOpen) window.parent.postMessage({ source: 'switchboard-page', type: 'attention' }, '*');
}

/** A conversation started or ended: the widget keeps it going across the host site's pages. */
export function tellWidgetChat(active: boolean): void {
  if (embedded) window.parent.postMessage({ source: 'switchboard-page', type: 'chat', active }, '*');
}
