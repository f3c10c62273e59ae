// MJML compiled once, filled many times. A template's MJML carries {{name}}
// placeholders; mjml2html turns it into HTML once at start, and each email is
// then one pass of substitution over that HTML. A value is either a string —
// always HTML-escaped — or a Raw fragment built here from escaped parts, so
// user data can never inject markup, and a value that itself contains
// "{{x}}" is never substituted again (single pass).
import mjml2html from 'mjml';

export class Raw { constructor(readonly html: string) {} }
export type Vars = Record<string, string | Raw>;

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Compiled { name: string; html: string; placeholders: ReadonlySet<string> }

/** Compiles with strict MJML validation: a broken template stops start-up naming it. */
export async function compileMjml(name: string, source: string): Promise<Compiled> {
  let out: Awaited<ReturnType<typeof mjml2html>>;
  try {
    out = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  } catch (e) {
    throw new Error(`mail template ${name}: ${(e as Error).message.replace(/\s+/g, ' ').trim()}`);
  }
  if (out.errors.length) throw new Error(`mail template ${name}: ${out.errors.map((e) => e.formattedMessage).join('; ')}`);
  return { name, html: out.html, placeholders: new Set([...out.html.matchAll(PLACEHOLDER)].map((m) => m[1]!)) };
}

/** Fills every placeholder; a missing or unused variable is a bug in the template module. */
export function fill(c: Compiled, vars: Vars): string {
  for (const k of Object.keys(vars)) if (!c.placeholders.has(k)) throw new Error(`mail template ${c.name}: variable ${k} has no placeholder`);
  return c.html.replace(PLACEHOLDER, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`mail template ${c.name}: no value for {{${k}}}`);
    return v instanceof Raw ? v.html : escapeHtml(v);
  });
}

// --- Fragments built from escaped parts -------------------------------------

/** Text with its line breaks kept. */
export function multiline(text: string): Raw {
  return new Raw(escapeHtml(text).replace(/\r?\n/g, '<br>'));
}

const TH = 'text-align:left;vertical-align:top;padding:4px 12px 4px 0;color:#52606d;font-weight:normal;white-space:nowrap';
const TD = 'vertical-align:top;padding:4px 0';

/** Label/value rows for an <mj-table>; empty list → one row saying so. */
export function rows(pairs: ReadonlyArray<readonly [string, string]>, empty = '—'): Raw {
  if (!pairs.length) return new Raw(`<tr><td style="${TD}">${escapeHtml(empty)}</td></tr>`);
  return new Raw(pairs.map(([k, v]) => `<tr><th style="${TH}">${escapeHtml(k)}</th><td style="${TD}">${multiline(v).html}</td></tr>`).join(''));
}

/** A link whose URL was checked to be http(s) by the template's schema. */
export function link(url: string, label: string): Raw {
  return new Raw(`<a href="${escapeHtml(url)}" style="color:#1d4ed8">${escapeHtml(label)}</a>`);
}

export function join(parts: ReadonlyArray<Raw>, sep = '<br>'): Raw {
  return new Raw(parts.map((p) => p.html).join(sep));
}

/** "2026-11-21 14:05 UTC" — emails go to people in any time zone; UTC says so plainly. */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A call-to-action link styled as a button, for optional actions (mj-button needs a fixed href). */
export function button(url: string, label: string): Raw {
  const style = 'display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;font-weight:bold';
  return new Raw(`<a href="${escapeHtml(url)}" style="${style}">${escapeHtml(label)}</a>`);
}

export const EMPTY = new Raw('');
