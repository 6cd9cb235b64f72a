-- 0005 — beneficiary lists from other tools (`parcours import-list` and the
-- page /lists, docs/modules/lists.md): the column mappings each
-- organisation saves under a name, one report per imported file and the
-- lines it rejected. Portable SQL as in 0001: dates and datetimes as text.

-- A mapping is a JSON object {"column header": "field code", …}.
CREATE TABLE list_mapping (
  organisation TEXT NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  mapping TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (organisation, name)
);

CREATE TABLE list_import (
  id INTEGER PRIMARY KEY,
  organisation TEXT NOT NULL,  -- the importing organisation (no link to people: lists.md)
  mapping_name TEXT,
  mapping TEXT,                -- the mapping as used (JSON)
  file TEXT NOT NULL,
  format TEXT,                 -- csv or xlsx
  started_at TEXT NOT NULL,
  finished_at TEXT,
  actor TEXT NOT NULL,
  -- running (the process stopped), done, refused (not readable, or headers
  -- without the mapping's needed columns: nothing written), broken (reading
  -- stopped part-way).
  status TEXT NOT NULL,
  lines INTEGER NOT NULL DEFAULT 0,     -- lines read, the header excluded
  created INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  warnings TEXT,                        -- JSON array of texts
  error TEXT
);

-- One row per problem of a rejected line; the line as read on its first row.
CREATE TABLE list_import_rejection (
  import_id INTEGER NOT NULL REFERENCES list_import(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  line INTEGER NOT NULL,       -- physical line (CSV) or row (XLSX), from 1
  identifier TEXT,             -- NIR, else CAF number and names, else names and birth date
  field TEXT,                  -- the file's column header
  reason TEXT NOT NULL,
  content TEXT,
  PRIMARY KEY (import_id, seq)
);

-- A file sent on the page /lists, kept between its preview and its
-- confirmation (a temporary file at `path`); only its sender may use it,
-- and it is removed once imported or after a day.
CREATE TABLE list_upload (
  token TEXT PRIMARY KEY,      -- random, 64 hex characters
  account TEXT NOT NULL,
  organisation TEXT NOT NULL,
  file_name TEXT NOT NULL,     -- as the browser named it
  path TEXT NOT NULL,
  mapping_name TEXT NOT NULL,
  created_epoch INTEGER NOT NULL  -- seconds since 1970, for the removal after a day
);
