-- Holds on diligence cases (src/screening/cases): the hits a case's assessment found (an unresolved
-- listed-party match or review, or an ownership hit under the 50% rule), each with how it was resolved,
-- and who assessed the case (a second person must override). A new key role, compliance-lead, records
-- overrides.

alter table api_keys drop constraint api_keys_role_check;
alter table api_keys add constraint api_keys_role_check
  check (role in ('admin', 'regulator', 'filer', 'auditor', 'analyst', 'compliance', 'compliance-lead'));

-- hits: [{id, kind, role, party, detail, resolution?: {how, by, at, reason}}]
alter table screening_cases add column hits jsonb not null default '[]'::jsonb;
alter table screening_cases add column assessed_by text;

-- Cases opened before this migration and not yet shipped: their stored initial assessment's
-- review/match screenings become hits, so an open case with a listed party is held as well.
update screening_cases c set hits = coalesce((
  select jsonb_agg(jsonb_build_object(
      'id', 'h' || h.n,
      'kind', h.s->'result'->>'decision',
      'role', h.s->>'role',
      'party', h.s->'result'->'query'->>'name',
      'detail', coalesce(h.s->'result'->'matches'->0->>'list', '') || ' ' ||
        coalesce(h.s->'result'->'matches'->0->>'name', '') || ', score ' ||
        coalesce(h.s->'result'->'matches'->0->>'score', '?')
    ) order by h.n)
  from (
    select s.value as s, row_number() over (order by s.ord) as n
    from screening_case_events e,
      jsonb_array_elements(case when jsonb_typeof(e.data->'assessment'->'screenings') = 'array'
        then e.data->'assessment'->'screenings' else '[]'::jsonb end) with ordinality as s(value, ord)
    where e.case_id = c.id and e.seq = 1 and s.value->'result'->>'decision' in ('review', 'match')
  ) h
), '[]'::jsonb)
where c.state in ('initial-assessment', 'enhanced-vetting', 'mitigation', 'approved');

-- The assessor of cases assessed before this migration: the actor of their assess event.
update screening_cases c set assessed_by = (
  select e.actor from screening_case_events e where e.case_id = c.id and e.action = 'assess' order by e.seq desc limit 1
);
