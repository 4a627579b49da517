// Checks one FtM entity (one JSON line) against the model subset and splits it into what chipwatch stores:
// an entity, or — for an edge schema such as Ownership — a link whose ends are its edge properties.
// Every problem names the line and the property.
import { ValidationError } from '../../errors.js';
import type { Properties } from '../entities/store.js';
import { captionOf } from './caption.js';
import { ID_PATTERN } from './ids.js';
import { concreteSchemata, schemaOf, type PropType } from './model.js';

export interface FtmEntity {
  id: string;
  schema: string;
  caption: string;
  properties: Properties;
}

export interface FtmLink {
  id: string;
  schema: string;
  sourceId: string;
  targetId: string;
  /** The properties without the two edge properties (those are sourceId and targetId). */
  properties: Properties;
  /** The ranges the two ends must have (Ownership: owner LegalEntity, asset Asset). */
  sourceRange: string;
  targetRange: string;
  /** The edge properties (Ownership: owner, asset). */
  sourceProp: string;
  targetProp: string;
}

export type FtmRecord = { kind: 'entity'; entity: FtmEntity } | { kind: 'link'; link: FtmLink };

export const MAX_VALUE_LENGTH = 65_536;
const MAX_VALUES = 1000;

const CHECKS: Partial<Record<PropType, { test: (v: string) => boolean; want: string }>> = {
  country: { test: (v) => /^[a-z]{2}(-[a-z0-9]{1,8})?$|^[a-z]{4}$/.test(v), want: 'a lower-case ISO country code' },
  date: {
    test: (v) => /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(v),
    want: 'an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)',
  },
  email: { test: (v) => /^[^@\s]+@[^@\s]+$/.test(v), want: 'an e-mail address' },
  number: { test: (v) => v.trim() !== '' && Number.isFinite(Number(v.replace(/,/g, ''))), want: 'a number' },
  entity: { test: (v) => ID_PATTERN.test(v), want: 'an entity id' },
};

function fail(message: string, line: number | undefined, field?: string): never {
  throw new ValidationError(message, { ...(line === undefined ? {} : { line }), ...(field ? { field } : {}) });
}

/** The entity or link one line holds; throws a ValidationError naming the line and property. */
export function parseFtmLine(text: string, line: number): FtmRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not a JSON object (${(e as Error).message.slice(0, 80)})`, line);
  }
  return parseFtmObject(raw, line);
}

/** The entity or link one FtM object holds (a line of a file, or a request body when `line` is undefined). */
export function parseFtmObject(raw: unknown, line?: number): FtmRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('not a JSON object', line);
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string' || !ID_PATTERN.test(o.id))
    fail('id must be 1–200 letters, digits, ".", ":", "-" or "_"', line, 'id');
  if (typeof o.schema !== 'string') fail('schema is missing', line, 'schema');
  const schema = schemaOf(o.schema);
  if (!schema || schema.abstract)
    fail(
      `schema "${o.schema.slice(0, 40)}" is not one chipwatch keeps (${concreteSchemata().join(', ')})`,
      line,
      'schema',
    );
  const rawProps = o.properties ?? {};
  if (typeof rawProps !== 'object' || rawProps === null || Array.isArray(rawProps))
    fail('properties must be an object', line, 'properties');
  const properties: Properties = {};
  for (const [name, values] of Object.entries(rawProps as Record<string, unknown>)) {
    const field = `properties.${name}`;
    const spec = schema.properties.get(name);
    if (!spec) fail(`${schema.name} has no property "${name.slice(0, 40)}"`, line, field);
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
      fail('must be a list of strings', line, field);
    if (values.length > MAX_VALUES) fail(`has ${values.length} values; at most ${MAX_VALUES}`, line, field);
    const check = CHECKS[spec.type];
    for (const v of values as string[]) {
      if (v.length > MAX_VALUE_LENGTH) fail(`a value is longer than ${MAX_VALUE_LENGTH} characters`, line, field);
      if (check && !check.test(v)) fail(`"${v.slice(0, 40)}" is not ${check.want}`, line, field);
    }
    if (values.length > 0) properties[name] = values as string[];
  }
  if (!schema.edge)
    return {
      kind: 'entity',
      entity: { id: o.id, schema: schema.name, caption: captionOf(schema.name, properties, o.id), properties },
    };
  const end = (prop: string): string => {
    const v = properties[prop];
    if (v?.length !== 1) fail(`${schema.name} needs exactly one ${prop}`, line, `properties.${prop}`);
    return v[0];
  };
  const { source, target } = schema.edge;
  const sourceId = end(source);
  const targetId = end(target);
  if (sourceId === targetId) fail(`${source} and ${target} are the same entity`, line, `properties.${target}`);
  const rest = { ...properties };
  delete rest[source];
  delete rest[target];
  return {
    kind: 'link',
    link: {
      id: o.id,
      schema: schema.name,
      sourceId,
      targetId,
      properties: rest,
      sourceRange: schema.properties.get(source)?.range ?? 'Thing',
      targetRange: schema.properties.get(target)?.range ?? 'Thing',
      sourceProp: source,
      targetProp: target,
    },
  };
}
