// `chipwatch intel candidates | decide | decisions`: pairs that may be one party, the analysts' judgements on
// them, and the audit trail of those judgements.
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { withIntelDb } from '../evidence/open.js';
import { UsageError } from '../../cli/errors.js';
import { positiveInt, print, printJson } from '../../cli/io.js';
import { NotFoundError } from '../../errors.js';
import type { IntelSettings } from '../settings.js';
import type { Candidate } from './candidates.js';
import type { Decision } from './decisions.js';

const DATA_DIR_OPTION = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;

function parseSince(s: string): Date {
  const d = new Date(s);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(d.getTime()))
    throw new UsageError(`--since must be an ISO date or time, not "${s.slice(0, 40)}"`);
  return d;
}

const shown = (values: readonly string[]) =>
  values.slice(0, 3).join(' | ') + (values.length > 3 ? ` (+${values.length - 3})` : '');

function printCandidate(c: Candidate): void {
  print(`${c.score.toFixed(3)}  ${c.a.id} ${c.a.caption}  ~  ${c.b.id} ${c.b.caption}`);
  for (const r of c.reasons)
    print(
      r.kind === 'name'
        ? `       name ${r.score.toFixed(3)}: ${r.explanation}`
        : `       same ${r.kind}: ${shown(r.values)}`,
    );
  if (c.judgement) print(`       judged ${c.judgement.judgement} (decision ${c.judgement.decisionId})`);
}

const describe = (d: Decision) =>
  `${d.id}  ${d.decidedAt}  ${d.judgement}${d.reverts ? ` ${d.reverts}` : ''}${d.reverted ? ' (reverted)' : ''}  ` +
  `${d.a} ${d.b}  by ${d.actor}: ${d.reason}`;

/** Who decides on the command line: the operating-system user, as the audit trail names them. */
const cliActor = () => `cli:${userInfo().username}`;

export function registerResolveCommands(intel: Command, settings: IntelSettings): void {
  intel
    .command('candidates')
    .description('pairs of entities that may be one party: name matches and shared identifiers, with reasons')
    .option('--entity <id>', 'only pairs with this entity')
    .option('--since <time>', 'only pairs with an entity created at or after this time (the new ones)')
    .option('--all', 'include pairs already judged')
    .option('--limit <n>', 'pairs shown, best first', positiveInt('--limit'), 100)
    .option(...DATA_DIR_OPTION)
    .option('--json', 'print JSON')
    .action(
      async (o: { entity?: string; since?: string; all?: boolean; limit: number; dataDir: string; json?: boolean }) => {
        const since = o.since === undefined ? undefined : parseSince(o.since);
        const { findCandidates } = await import('./candidates.js');
        const { getEntities } = await import('../entities/store.js');
        const found = await withIntelDb(settings, o.dataDir, async (db) => {
          if (o.entity && (await getEntities(db, [o.entity])).length === 0)
            throw new NotFoundError(`no entity ${o.entity.slice(0, 200)}`, { field: 'entity' });
          return findCandidates(db, {
            ...(o.entity ? { entity: o.entity } : {}),
            ...(since ? { since } : {}),
            includeDecided: o.all ?? false,
            limit: o.limit,
          });
        });
        if (o.json) printJson(found);
        else if (found.length === 0) print('no candidate pairs');
        else for (const c of found) printCandidate(c);
      },
    );
  intel
    .command('decide [a] [b] [judgement]')
    .description('record a judgement on two entities: same, different or unsure (never a merge); or --revert one')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--revert <decision>', 'record the reversal of this decision instead', positiveInt('--revert'))
    .option(...DATA_DIR_OPTION)
    .option('--json', 'print JSON')
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        judgement: string | undefined,
        o: { reason: string; revert?: number; dataDir: string; json?: boolean },
      ) => {
        if (o.revert !== undefined && a !== undefined) throw new UsageError('give either A B JUDGEMENT or --revert');
        if (o.revert === undefined && (a === undefined || b === undefined || judgement === undefined))
          throw new UsageError('give two entity ids and a judgement (same, different or unsure), or --revert ID');
        const { decide, revert } = await import('./decisions.js');
        const now = new Date();
        const d = await withIntelDb(settings, o.dataDir, (db) =>
          o.revert !== undefined
            ? revert(db, { decisionId: o.revert, reason: o.reason, actor: cliActor() }, now)
            : decide(db, { a: a!, b: b!, judgement: judgement!, reason: o.reason, actor: cliActor() }, now),
        );
        if (o.json) printJson(d);
        else print(`recorded decision ${describe(d)}`);
      },
    );
  intel
    .command('decisions')
    .description('the audit trail of judgements, newest first')
    .option('--entity <id>', 'only decisions on pairs with this entity')
    .option('--limit <n>', 'decisions shown', positiveInt('--limit'), 1000)
    .option(...DATA_DIR_OPTION)
    .option('--json', 'print JSON')
    .action(async (o: { entity?: string; limit: number; dataDir: string; json?: boolean }) => {
      const { listDecisions } = await import('./decisions.js');
      const list = await withIntelDb(settings, o.dataDir, (db) =>
        listDecisions(db, { ...(o.entity ? { entity: o.entity } : {}), limit: o.limit }),
      );
      if (o.json) printJson(list);
      else if (list.length === 0) print('no decisions');
      else for (const d of list) print(describe(d));
    });
}
