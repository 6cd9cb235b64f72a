-- 0001 — the foundation: territories, organisations, accounts, households,
-- people, RSA right periods, sessions, the audit log.
-- Portable SQL: TEXT ids (the exchange ids), dates as 'YYYY-MM-DD' text,
-- lists as JSON arrays in TEXT, booleans as 0/1 INTEGER. Every exchange
-- record carries a version for optimistic concurrency (409 on a stale save).

CREATE TABLE territory (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL,
  communes TEXT
);
-- Derived from territory.communes on every write: which territory a commune is in.
CREATE TABLE territory_commune (
  territory TEXT NOT NULL REFERENCES territory(id) ON DELETE CASCADE,
  commune TEXT NOT NULL,
  PRIMARY KEY (territory, commune)
);
CREATE INDEX territory_commune_by_commune ON territory_commune(commune);

CREATE TABLE organisation (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  territory TEXT REFERENCES territory(id) DEFERRABLE INITIALLY DEFERRED,
  siret TEXT,
  search_key TEXT
);
CREATE INDEX organisation_by_territory ON organisation(territory);

CREATE TABLE account (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  email TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  roles TEXT NOT NULL,
  health_accredited INTEGER NOT NULL DEFAULT 0,
  created_on TEXT,
  disabled_on TEXT,
  job_function TEXT,
  search_key TEXT,
  -- Not part of the exchange format: passwords never travel.
  password_hash TEXT
);
CREATE INDEX account_by_organisation ON account(organisation);
-- Unique, case-insensitively: enforced by the model's checks before commit,
-- so that an import may swap two addresses.
CREATE INDEX account_by_email ON account(lower(email));

CREATE TABLE sign_in (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  account TEXT NOT NULL REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  at TEXT NOT NULL
);
CREATE INDEX sign_in_by_account ON sign_in(account);

CREATE TABLE household (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  caf_number TEXT,
  paying_body TEXT,
  rsa_request_number TEXT,
  rsa_request_date TEXT,
  commune TEXT,
  territory TEXT REFERENCES territory(id) DEFERRABLE INITIALLY DEFERRED,
  family_situation TEXT
);
CREATE INDEX household_by_caf_number ON household(caf_number);
CREATE INDEX household_by_territory ON household(territory);
CREATE INDEX household_by_commune ON household(commune);

CREATE TABLE person (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  household TEXT NOT NULL REFERENCES household(id) DEFERRABLE INITIALLY DEFERRED,
  role TEXT NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  birth_name TEXT,
  birth_date TEXT NOT NULL,
  sex TEXT NOT NULL,
  title TEXT,
  nir TEXT,
  france_travail_id TEXT,
  phone TEXT,
  email TEXT,
  address TEXT,
  -- text_fold(last_name first_name birth_name): accent- and case-insensitive search
  search_key TEXT
);
CREATE INDEX person_by_household ON person(household);
CREATE INDEX person_by_search_key ON person(search_key);
CREATE INDEX person_by_birth_date ON person(birth_date);
CREATE INDEX person_by_nir ON person(nir);

CREATE TABLE right_period (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  start_date TEXT NOT NULL,
  end_date TEXT,
  state TEXT NOT NULL,
  subject_to_duties INTEGER NOT NULL
);
CREATE INDEX right_period_by_person ON right_period(person, start_date);

-- Web sessions: only a hash of the cookie's secret is kept.
CREATE TABLE web_session (
  token_hash TEXT PRIMARY KEY,
  account TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL
);
-- Bearer tokens for scripts (`parcours user token`): hash only.
CREATE TABLE api_token (
  token_hash TEXT PRIMARY KEY,
  account TEXT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
-- Failed sign-ins, per account e-mail and per address, for rate limiting.
CREATE TABLE sign_in_failure (
  key TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX sign_in_failure_by_key ON sign_in_failure(key, at);
-- A form posted after the session expired, kept until the user signs in again.
CREATE TABLE pending_form (
  token TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Append-only audit log; each entry's hash covers the previous one's
-- (`parcours audit verify`). Triggers refuse updates and deletes.
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  address TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT,
  object_id TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_object ON audit(object_type, object_id);
CREATE INDEX audit_by_actor ON audit(actor);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
