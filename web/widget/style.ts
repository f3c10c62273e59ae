// The widget's own CSS, inside its shadow root: the host page's rules never
// match these elements, and `all: initial` on the host stops inherited ones.
export const widgetCss = `
:host { all: initial; }
.launcher, .panel { position: fixed; z-index: 2147483000; box-sizing: border-box; font: 14px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.top { top: 20px; } .bottom { bottom: 20px; } .left { left: 20px; } .right { right: 20px; }
.panel.top { top: 88px; } .panel.bottom { bottom: 88px; }
.launcher { width: 56px; height: 56px; border-radius: 50%; border: 0; padding: 0; cursor: pointer;
  background: var(--sbw-accent); color: var(--sbw-accent-text); box-shadow: 0 4px 14px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center; }
.launcher:focus-visible, .close:focus-visible { outline: 3px solid var(--sbw-accent-text); outline-offset: -6px; }
.launcher.is-open { opacity: .85; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 5px; box-sizing: border-box;
  border-radius: 10px; background: #dc2626; color: #fff; font-size: 12px; line-height: 20px; text-align: center; }
.badge[hidden] { display: none; }
.panel { display: flex; flex-direction: column; width: var(--sbw-width); height: var(--sbw-height);
  max-width: calc(100vw - 40px); max-height: calc(100vh - 108px); border-radius: 12px; overflow: hidden;
  background: #fff; box-shadow: 0 10px 40px rgba(0,0,0,.3); }
.panel[hidden] { display: none; }
.bar { flex: none; height: 36px; display: flex; align-items: center; gap: 8px; padding: 0 6px 0 14px;
  background: var(--sbw-accent); color: var(--sbw-accent-text); cursor: move; user-select: none; touch-action: none; }
.title { flex: 1; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; font-weight: 600; }
.close { flex: none; width: 32px; height: 28px; border: 0; border-radius: 6px; background: transparent;
  color: inherit; font-size: 22px; line-height: 1; cursor: pointer; }
.close:hover { background: rgba(255,255,255,.2); }
iframe { flex: 1; width: 100%; border: 0; display: block; background: #fff; }
.panel.dragging iframe { pointer-events: none; }
/* Small screens (set by widget.ts, which also catches host pages without a viewport meta tag). */
.small .panel { inset: 0 !important; width: 100% !important; height: 100% !important; max-width: none; max-height: none; border-radius: 0; }
.small .bar { height: var(--sbw-more-height); cursor: default; }
.small .close { height: calc(var(--sbw-more-height) - 8px); width: calc(var(--sbw-more-height) - 8px); }
.small .launcher.is-open { display: none; }
`;
