// What an admin hands out for a room: its URLs (seed 000's URL generator:
// contact form, voice, video) and the one-line embed code of the pop-up
// widget (issue 6), sized and placed by the room's widget settings.
import type { WidgetSettings } from './room-settings.js';

export interface RoomLinks { contactForm: string; voice: string; video: string }

export function roomLinks(publicUrl: string, slug: string): RoomLinks {
  const form = `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(slug)}`;
  return { contactForm: form, voice: `${form}?start=voice`, video: `${form}?start=video` };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface EmbedCode { html: string; scriptUrl: string; attributes: Record<string, string> }

/**
 * Only the room goes in the line: widget.js reads the position and size from
 * the room's settings each time it loads, so an admin's later change needs no
 * new snippet. (data-position, data-width, data-height and
 * data-mobile-more-options-height, added by hand, override them.)
 */
export function embedCode(publicUrl: string, slug: string, _widget?: WidgetSettings): EmbedCode {
  const scriptUrl = `${publicUrl.replace(/\/+$/, '')}/widget.js`;
  const attributes: Record<string, string> = { 'data-room': slug };
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}="${escapeAttr(v)}"`).join(' ');
  return { html: `<script src="${escapeAttr(scriptUrl)}" ${attrs} async></script>`, scriptUrl, attributes };
}
