// Dragging the open panel by its title bar (desktop only), kept inside the
// window. Pointer capture keeps the moves coming even over the iframe.
export function makeDraggable(panel: HTMLElement, handle: HTMLElement, enabled: () => boolean): void {
  let start: { x: number; y: number; left: number; top: number } | null = null;

  handle.addEventListener('pointerdown', (e) => {
    if (!enabled() || e.button !== 0 || (e.target as Element).closest('button')) return;
    const box = panel.getBoundingClientRect();
    start = { x: e.clientX, y: e.clientY, left: box.left, top: box.top };
    handle.setPointerCapture(e.pointerId);
    panel.classList.add('dragging');
    e.preventDefault();
  });
  handle.addEventListener('pointermove', (e) => {
    if (!start) return;
    place(panel, start.left + e.clientX - start.x, start.top + e.clientY - start.y);
  });
  const stop = (e: PointerEvent) => {
    if (!start) return;
    start = null;
    panel.classList.remove('dragging');
    if (handle.hasPointerCapture(e.pointerId)) handle.releasePointerCapture(e.pointerId);
  };
  handle.addEventListener('pointerup', stop);
  handle.addEventListener('pointercancel', stop);
  // A smaller window must not leave the panel out of reach.
  window.addEventListener('resize', () => {
    if (panel.style.left) { const b = panel.getBoundingClientRect(); place(panel, b.left, b.top); }
  });
}

function place(panel: HTMLElement, left: number, top: number): void {
  const box = panel.getBoundingClientRect();
  const maxLeft = Math.max(0, window.innerWidth - box.width);
  const maxTop = Math.max(0, window.innerHeight - box.height);
  panel.style.left = `${Math.round(Math.min(maxLeft, Math.max(0, left)))}px`;
  panel.style.top = `${Math.round(Math.min(maxTop, Math.max(0, top)))}px`;
  panel.style.right = 'auto';
  panel.style.bottom = 'auto';
}
