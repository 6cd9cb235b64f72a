-- 0003 — France Travail (Pôle emploi) lists (`parcours import-ft`,
-- docs/modules/france_travail.md): the registration history of people
-- (exchange type france_travail_period), one report per imported file and
-- the lines it did not take (rejected, or matching nobody).
-- Portable SQL as in 0001: dates and datetimes as text.

CREATE TABLE france_travail_period (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  start_date TEXT NOT NULL,
  end_date TEXT,
  state TEXT NOT NULL,      -- registered, ceased, removed
  category TEXT,
  reason TEXT
);
CREATE INDEX france_travail_period_by_person ON france_travail_period(person, start_date);
-- Lines of the lists are matched to people by this identifier first.
CREATE INDEX person_by_france_travail_id ON person(france_travail_id);

CREATE TABLE ft_import (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  -- movement (nir;identifiantpe;…, one state per file) or principal (the
  -- monthly extract with a header); NULL when no line was read.
  shape TEXT,
  state TEXT,               -- the movement file's state (registered, ceased, removed)
  encoding TEXT,            -- utf-8 or windows-1252, as read
  started_at TEXT NOT NULL,
  finished_at TEXT,
  actor TEXT NOT NULL,
  -- running (the process stopped), done, refused (the file's shape or state
  -- could not be told: nothing written), broken (reading stopped part-way).
  status TEXT NOT NULL,
  lines INTEGER NOT NULL DEFAULT 0,     -- records read (the header excluded)
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  unmatched INTEGER NOT NULL DEFAULT 0,
  warnings TEXT,                        -- JSON array of texts
  error TEXT
);

-- One row per problem of a rejected line, and one per line that matched
-- nobody (kind 'unmatched'); the line as read is kept on its first row.
CREATE TABLE ft_import_rejection (
  import_id INTEGER NOT NULL REFERENCES ft_import(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,          -- rejected, unmatched
  line INTEGER NOT NULL,       -- physical line of the file, from 1
  identifier TEXT,             -- France Travail id, else NIR, else name and birth date
  field TEXT,
  reason TEXT NOT NULL,
  content TEXT,
  PRIMARY KEY (import_id, seq)
);
