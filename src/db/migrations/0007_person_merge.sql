-- 0007 — merging duplicate people (docs/modules/merge.md): the history of
-- merges and the ids of absorbed people, kept as aliases of the person
-- that absorbed them (old URLs and later flux naming them find that one).
-- Portable SQL as in 0001: datetimes RFC 3339 as text, lists and objects
-- as JSON in TEXT.

-- One row per merge. kept/absorbed carry no reference: the kept person may
-- be merged away later, and the absorbed one no longer exists; the history
-- stays. The absorbed person's names and record are kept so that the list
-- says who it was.
CREATE TABLE person_merge (
  id INTEGER PRIMARY KEY,
  kept TEXT NOT NULL,
  absorbed TEXT NOT NULL,
  absorbed_last_name TEXT NOT NULL,
  absorbed_first_name TEXT NOT NULL,
  absorbed_birth_date TEXT NOT NULL,
  absorbed_record TEXT NOT NULL,   -- the absorbed person as it was (exchange shape)
  actor TEXT NOT NULL,             -- account id, or "cli:<login>"
  at TEXT NOT NULL,
  moved TEXT NOT NULL,             -- {"table": rows moved, …}
  moved_count INTEGER NOT NULL,    -- rows moved, health steps excepted
  moved_health INTEGER NOT NULL,   -- health steps moved (shown only with the accreditation)
  dropped TEXT NOT NULL,           -- [{"table","id","same_as"}]: identical rows removed
  fields_taken TEXT NOT NULL,      -- ["nir", …]: empty fields filled from the absorbed person
  field_conflicts TEXT NOT NULL    -- [{"field","kept","absorbed"}]: the kept values stayed
);
CREATE INDEX person_merge_by_kept ON person_merge(kept);
CREATE INDEX person_merge_by_absorbed ON person_merge(absorbed);
CREATE INDEX person_merge_by_at ON person_merge(at);

-- The absorbed ids, each pointing to the person that holds its records now
-- (moved along when that person is merged in turn).
CREATE TABLE person_alias (
  alias TEXT PRIMARY KEY,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  merge_id INTEGER NOT NULL REFERENCES person_merge(id)
);
CREATE INDEX person_alias_by_person ON person_alias(person);
