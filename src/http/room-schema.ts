// Room settings against their JSON schema (schemas/http/room-settings.json
// and the Room* schemas it refers to): the whole document after a change, the
// partial document a PATCH sends, and Ajv's errors turned into "field: rule"
// with the full path of the setting.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { invalid } from '../core/errors.js';
import { normaliseRoomSettings } from '../core/room-normalise.js';
import type { RoomSettings } from '../core/room-settings.js';
import { settingsProblem, type Problem } from '../core/room-validate.js';
import { STRATEGIES } from '../core/strategies/index.js';
import { repoPath } from '../paths.js';

type Schema = { $id?: string; $ref?: string; type?: unknown; properties?: Record<string, Schema>; required?: string[] } & Record<string, unknown>;

/** What a schema file cannot hold: the strategy names come from the one map of strategies. */
export function completeSchema<T extends { $id?: string }>(s: T): T {
  return s.$id === 'RoutingStrategy' ? { ...s, enum: Object.keys(STRATEGIES) } : s;
}

const dir = repoPath('schemas', 'http');
const schemas: Schema[] = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => completeSchema(JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as Schema));
const byId = new Map(schemas.map((s) => [s.$id, s]));

const ajv = new Ajv({ allErrors: false, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
for (const s of schemas) ajv.addSchema(s);
const validateSettings = ajv.getSchema('RoomSettings') as ValidateFunction;

/**
 * The schema of a partial document: objects lose their `required` lists (a
 * PATCH sends only what changes) down to arrays, whose items stay whole
 * because a PATCH replaces an array.
 */
export function partialSchema(ref: string): Schema {
  const walk = (node: Schema): Schema => {
    const target = typeof node.$ref === 'string' ? byId.get(node.$ref.replace(/#$/, '')) : node;
    if (!target || target.type !== 'object' || !target.properties) return node;
    const { required: _required, $id: _id, ...rest } = target;
    return { ...rest, properties: Object.fromEntries(Object.entries(target.properties).map(([k, v]) => [k, walk(v)])) };
  };
  return walk({ $ref: `${ref}#` });
}

const PATTERNS: Record<string, string> = {
  '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$': 'must be a colour like #1a2b3c or #abc',
  '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$': 'must be a time HH:MM between 00:00 and 24:00',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'must be a date YYYY-MM-DD',
  '^[a-z][a-z0-9_-]{0,39}$': 'must start with a lowercase letter and hold only a-z, 0-9, _ and - (at most 40)',
  '^https?://': 'must be an http:// or https:// URL',
  '\\S': 'must not be blank',
  '^(\\.[A-Za-z0-9]{1,16}|[a-z]+/(\\*|[A-Za-z0-9][A-Za-z0-9.+-]{0,80}))$': 'must be a file extension like .pdf or a type like image/* or application/pdf',
  '^[a-z0-9][a-z0-9-]{0,62}$': 'must be 1 to 63 lowercase letters, digits or -, not starting with -',
};

/** An Ajv error as the setting it names (dotted path, `prefix` first) and the rule it breaks. */
export function describeSchemaError(e: Pick<ErrorObject, 'instancePath' | 'keyword' | 'params' | 'message'>, prefix = ''): Problem {
  const params = e.params as Record<string, unknown>;
  const path = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const field = [prefix, ...path, extra].filter((x) => x !== undefined && x !== '').join('.');
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') message = 'is required';
  else if (e.keyword === 'additionalProperties') message = 'is not a known setting';
  else if (e.keyword === 'enum') message = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  else if (e.keyword === 'pattern') message = PATTERNS[params.pattern as string] ?? message;
  else if (e.keyword === 'format' && params.format === 'email') message = 'must be an email address';
  return { field: field || prefix || 'body', message };
}

/**
 * A whole settings document checked against the schema and the rules the
 * schema cannot express; returns it completed with defaults, or throws a 400
 * naming the setting.
 */
export function checkRoomSettings(doc: unknown, prefix = ''): RoomSettings {
  const at = (p: Problem) => invalid([prefix, p.field].filter(Boolean).join('.'), p.message);
  if (!validateSettings(doc)) throw at(describeSchemaError(validateSettings.errors![0]!));
  const problem = settingsProblem(doc as RoomSettings);
  if (problem) throw at(problem);
  return normaliseRoomSettings(doc);
}
