// Templates compiled once per process; an email rendered from a template's
// data after checking it (errors name the field: `data.customer.email`).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError, invalid } from '../core/errors.js';
import { resolveSender } from './addresses.js';
import { compileMjml, fill, type Compiled } from './templates/engine.js';
import { profileSchema, type Sender } from './templates/def.js';
import { layout } from './templates/layout.js';
import { TEMPLATE_NAMES, TEMPLATES, type MailTemplates, type TemplateName } from './templates/index.js';

export interface RenderedEmail {
  template: TemplateName;
  subject: string;
  html: string;
  text: string;
  sender: Sender;
  replyTo: string | null;
  autoSubmitted: boolean;
}

interface Prepared { compiled: Compiled; validate: ValidateFunction }
export type CompiledTemplates = ReadonlyMap<TemplateName, Prepared>;

let compiling: Promise<CompiledTemplates> | null = null;

/** Compiles every template's MJML and data schema; once per process, shared by every MailService. */
export function compileTemplates(): Promise<CompiledTemplates> {
  compiling ??= (async () => {
    const ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const out = new Map<TemplateName, Prepared>();
    for (const name of TEMPLATE_NAMES) {
      const def = TEMPLATES[name];
      const s = def.schema as { properties: object; required: string[] };
      const schema = { ...s, properties: { ...s.properties, profile: profileSchema }, required: [...s.required, 'profile'] };
      out.set(name, { compiled: await compileMjml(name, layout(def.body)), validate: ajv.compile(schema) });
    }
    return out;
  })();
  compiling.catch(() => { compiling = null; });
  return compiling;
}

function fieldOf(e: ErrorObject): AppError {
  const path = 'data' + e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
  if (e.keyword === 'required') return invalid(`${path}.${(e.params as { missingProperty: string }).missingProperty}`, 'is required');
  if (e.keyword === 'additionalProperties') return invalid(`${path}.${(e.params as { additionalProperty: string }).additionalProperty}`, 'is not a field of this email');
  const mine = (e.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  return invalid(path, typeof mine === 'string' ? mine : e.message ?? 'is not valid');
}

const oneLine = (s: string, max: number) => s.replace(/\s+/g, ' ').trim().slice(0, max);

export interface RenderOptions { fallback: { companyName: string; address: string } }

export function renderEmail<T extends TemplateName>(all: CompiledTemplates, name: T, data: MailTemplates[T], o: RenderOptions): RenderedEmail {
  const def = TEMPLATES[name];
  const prepared = all.get(name);
  if (!def || !prepared) throw invalid('template', `unknown email template ${JSON.stringify(name)}; known: ${TEMPLATE_NAMES.join(', ')}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('data', 'must be an object');
  if (!prepared.validate(data)) throw fieldOf(prepared.validate.errors![0]!);
  def.check?.(data);
  const sender = resolveSender(data.profile, o.fallback);
  const subject = oneLine(def.subject(data, sender), 250);
  const footer = `Sent by ${sender.companyName}. Questions? Write to ${sender.contactEmail}.`;
  const html = fill(prepared.compiled, { ...def.vars(data, sender), subject, preview: oneLine(def.preview(data, sender), 150), companyName: sender.companyName, footer });
  const text = `${def.text(data, sender)}\n\n-- \n${footer}\n`;
  return { template: name, subject, html, text, sender, replyTo: def.replyTo?.(data) || null, autoSubmitted: def.autoSubmitted };
}
