-- 0002 — the CAF/MSA beneficiaries flux (`parcours import-caf`, docs/modules/caf.md):
-- one report per imported file, the households it rejected, and the last
-- DTREF taken per paying body (an older flux is refused unless --force).
-- Portable SQL as in 0001: dates and datetimes as text, 0/1 booleans.

CREATE TABLE caf_import (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  -- FONORG and NUMORG of the flux's first household ("CAF 691"); NULL for
  -- a flux without households.
  paying_body TEXT,
  dtref TEXT,
  type_flux TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  actor TEXT NOT NULL,
  -- running (not finished: the process stopped), done, refused (older flux
  -- without --force, no DTREF), broken (the XML stopped being readable; the
  -- households read before were taken).
  status TEXT NOT NULL,
  forced INTEGER NOT NULL DEFAULT 0,
  households INTEGER NOT NULL DEFAULT 0,  -- InfosFoyerRSA read
  declared INTEGER,                       -- TransmissionFlux/NBTOTDOSRSATRANSM
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  people INTEGER NOT NULL DEFAULT 0,      -- Personne blocks of the households taken
  people_created INTEGER NOT NULL DEFAULT 0,
  periods_written INTEGER NOT NULL DEFAULT 0,
  warnings TEXT,                          -- JSON array of texts
  error TEXT                              -- why the file was refused or broken
);
CREATE INDEX caf_import_by_paying_body ON caf_import(paying_body, dtref);

-- One row per problem of a rejected household; the household's XML is kept
-- on its first row.
CREATE TABLE caf_import_rejection (
  import_id INTEGER NOT NULL REFERENCES caf_import(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  position INTEGER NOT NULL,   -- rank of the InfosFoyerRSA in the file, from 1
  line INTEGER,                -- line of its start tag
  identifier TEXT,             -- MATRICULE
  field TEXT,
  reason TEXT NOT NULL,
  fragment TEXT,
  PRIMARY KEY (import_id, seq)
);

-- The newest DTREF taken per paying body.
CREATE TABLE caf_paying_body (
  paying_body TEXT PRIMARY KEY,
  last_dtref TEXT NOT NULL,
  last_import INTEGER REFERENCES caf_import(id)
);
