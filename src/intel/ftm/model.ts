// The part of the FollowTheMoney model chipwatch reads and writes, as data: schemata, what each extends,
// their properties and types, and which interval schemata are edges (source → target). Written from the
// FtM schema YAML (github.com/alephdata/followthemoney, followthemoney/schema/*.yaml); a subset, not a copy.

export type PropType =
  | 'name'
  | 'text'
  | 'string'
  | 'country'
  | 'date'
  | 'identifier'
  | 'url'
  | 'email'
  | 'phone'
  | 'address'
  | 'entity'
  | 'number'
  | 'topic'
  | 'gender'
  | 'language';

/** A property's type; an entity property names the schema its value must be (`range`). */
export type PropSpec = PropType | { type: 'entity'; range: string };

interface SchemaDef {
  extends: string[];
  abstract?: boolean;
  /** Interval schemata that FtM draws as an edge: the property holding the source and the target. */
  edge?: { source: string; target: string };
  /** Properties for the caption, first present wins (FtM's `caption`). */
  caption?: string[];
  properties: Record<string, PropSpec>;
}

const entity = (range: string): PropSpec => ({ type: 'entity', range });

const DEFS: Record<string, SchemaDef> = {
  Thing: {
    extends: [],
    abstract: true,
    caption: ['name'],
    properties: {
      name: 'name',
      summary: 'text',
      description: 'text',
      country: 'country',
      alias: 'name',
      previousName: 'name',
      weakAlias: 'name',
      sourceUrl: 'url',
      publisher: 'string',
      publisherUrl: 'url',
      wikipediaUrl: 'url',
      wikidataId: 'identifier',
      keywords: 'string',
      topics: 'topic',
      address: 'address',
      addressEntity: entity('Address'),
      program: 'string',
      programId: 'identifier',
      notes: 'text',
      createdAt: 'date',
      modifiedAt: 'date',
      retrievedAt: 'date',
    },
  },
  Value: { extends: [], abstract: true, properties: { amount: 'number', currency: 'string' } },
  Asset: { extends: ['Thing', 'Value'], abstract: true, properties: {} },
  LegalEntity: {
    extends: ['Thing'],
    caption: ['name', 'email', 'phone', 'registrationNumber'],
    properties: {
      email: 'email',
      phone: 'phone',
      website: 'url',
      legalForm: 'string',
      incorporationDate: 'date',
      dissolutionDate: 'date',
      status: 'string',
      sector: 'string',
      classification: 'string',
      registrationNumber: 'identifier',
      idNumber: 'identifier',
      taxNumber: 'identifier',
      vatCode: 'identifier',
      leiCode: 'identifier',
      dunsCode: 'identifier',
      jurisdiction: 'country',
      mainCountry: 'country',
      opencorporatesUrl: 'url',
      parent: entity('LegalEntity'),
    },
  },
  Organization: {
    extends: ['LegalEntity'],
    properties: { cageCode: 'identifier', permId: 'identifier', imoNumber: 'identifier' },
  },
  Company: {
    extends: ['Organization', 'Asset'],
    properties: { capital: 'string', ticker: 'identifier', isinCode: 'identifier', cikCode: 'identifier' },
  },
  PublicBody: { extends: ['Organization'], properties: {} },
  Person: {
    extends: ['LegalEntity'],
    caption: ['name', 'lastName', 'firstName', 'email', 'phone'],
    properties: {
      title: 'string',
      firstName: 'name',
      secondName: 'name',
      middleName: 'name',
      fatherName: 'name',
      lastName: 'name',
      birthDate: 'date',
      birthPlace: 'string',
      birthCountry: 'country',
      deathDate: 'date',
      position: 'string',
      nationality: 'country',
      citizenship: 'country',
      passportNumber: 'identifier',
      gender: 'gender',
    },
  },
  Address: {
    extends: ['Thing'],
    caption: ['full', 'name', 'street', 'city'],
    properties: {
      full: 'address',
      remarks: 'text',
      postOfficeBox: 'string',
      street: 'string',
      city: 'string',
      postalCode: 'string',
      region: 'string',
      state: 'string',
      latitude: 'number',
      longitude: 'number',
    },
  },
  Vehicle: {
    extends: ['Asset'],
    caption: ['name', 'registrationNumber'],
    properties: {
      registrationNumber: 'identifier',
      type: 'string',
      model: 'string',
      owner: entity('LegalEntity'),
      operator: entity('LegalEntity'),
      buildDate: 'date',
    },
  },
  Vessel: {
    extends: ['Vehicle'],
    caption: ['name', 'imoNumber'],
    properties: {
      imoNumber: 'identifier',
      callSign: 'identifier',
      mmsi: 'identifier',
      flag: 'country',
      pastFlags: 'country',
      tonnage: 'number',
    },
  },
  Interval: {
    extends: [],
    abstract: true,
    properties: {
      startDate: 'date',
      endDate: 'date',
      date: 'date',
      summary: 'text',
      description: 'text',
      recordId: 'string',
      sourceUrl: 'url',
      publisher: 'string',
      modifiedAt: 'date',
      retrievedAt: 'date',
    },
  },
  Interest: { extends: ['Interval'], abstract: true, properties: { role: 'string', status: 'string' } },
  Ownership: {
    extends: ['Interest'],
    edge: { source: 'owner', target: 'asset' },
    properties: {
      owner: entity('LegalEntity'),
      asset: entity('Asset'),
      percentage: 'string',
      sharesCount: 'string',
      sharesValue: 'string',
      sharesCurrency: 'string',
      sharesType: 'string',
      legalBasis: 'string',
      ownershipType: 'string',
    },
  },
  Directorship: {
    extends: ['Interest'],
    edge: { source: 'director', target: 'organization' },
    properties: { director: entity('LegalEntity'), organization: entity('Organization'), secretary: 'string' },
  },
  Employment: {
    extends: ['Interest'],
    edge: { source: 'employee', target: 'employer' },
    properties: { employee: entity('Person'), employer: entity('Organization') },
  },
  Membership: {
    extends: ['Interest'],
    edge: { source: 'member', target: 'organization' },
    properties: { member: entity('LegalEntity'), organization: entity('Organization') },
  },
  Family: {
    extends: ['Interval'],
    edge: { source: 'person', target: 'relative' },
    properties: { person: entity('Person'), relative: entity('Person'), relationship: 'string' },
  },
  Associate: {
    extends: ['Interval'],
    edge: { source: 'person', target: 'associate' },
    properties: { person: entity('Person'), associate: entity('Person'), relationship: 'string' },
  },
  Representation: {
    extends: ['Interest'],
    edge: { source: 'agent', target: 'client' },
    properties: { agent: entity('LegalEntity'), client: entity('LegalEntity') },
  },
  UnknownLink: {
    extends: ['Interest'],
    edge: { source: 'subject', target: 'object' },
    properties: { subject: entity('Thing'), object: entity('Thing') },
  },
};

export interface Schema {
  name: string;
  abstract: boolean;
  /** Itself and every schema it extends, transitively. */
  ancestors: ReadonlySet<string>;
  edge?: { source: string; target: string };
  caption: readonly string[];
  /** Every property, inherited ones included. */
  properties: ReadonlyMap<string, { type: PropType; range?: string }>;
}

function build(name: string, seen: Map<string, Schema>): Schema {
  const done = seen.get(name);
  if (done) return done;
  const def = DEFS[name];
  const parents = def.extends.map((p) => build(p, seen));
  const ancestors = new Set([name, ...parents.flatMap((p) => [...p.ancestors])]);
  const properties = new Map<string, { type: PropType; range?: string }>();
  for (const p of parents) for (const [k, v] of p.properties) properties.set(k, v);
  for (const [k, v] of Object.entries(def.properties))
    properties.set(k, typeof v === 'string' ? { type: v } : { type: v.type, range: v.range });
  const caption = def.caption ?? parents.find((p) => p.caption.length)?.caption ?? [];
  const s: Schema = { name, abstract: def.abstract ?? false, ancestors, edge: def.edge, caption, properties };
  seen.set(name, s);
  return s;
}

const SCHEMATA: ReadonlyMap<string, Schema> = (() => {
  const seen = new Map<string, Schema>();
  for (const name of Object.keys(DEFS)) build(name, seen);
  return seen;
})();

/** The schema by name, or undefined when chipwatch does not model it. */
export function schemaOf(name: string): Schema | undefined {
  return SCHEMATA.get(name);
}

/** The schemata an FtM file may use (concrete ones). */
export function concreteSchemata(): string[] {
  return [...SCHEMATA.values()].filter((s) => !s.abstract).map((s) => s.name);
}

/** Whether `schema` is `ancestor` or extends it. */
export function isA(schema: string, ancestor: string): boolean {
  return SCHEMATA.get(schema)?.ancestors.has(ancestor) ?? false;
}

/** The schemata resolution compares: parties, not addresses, and not relations. */
export const PARTY_SCHEMATA = ['LegalEntity', 'Organization', 'Company', 'PublicBody', 'Person', 'Vessel'] as const;

/**
 * Whether two entities of these schemata could be one party: one schema extends the other (Company and
 * LegalEntity), or both are organisations (Company and PublicBody). A person is never a company.
 */
export function canMatch(a: string, b: string): boolean {
  if (isA(a, b) || isA(b, a)) return true;
  return isA(a, 'Organization') && isA(b, 'Organization');
}
