-- 0004 — the beneficiary's path (issue 3; exchange-format.md, "The path" and
-- "Instances"): orientations, référent assignments, diagnostics, contracts,
-- appointments, collective sessions and their attendances and surveys,
-- steps; the multidisciplinary teams (instances), their members, sittings
-- and case reviews. docs/modules/path.md says which rules hold them.
-- Portable SQL as in 0001: TEXT ids, dates 'YYYY-MM-DD' and datetimes
-- RFC 3339 as written, lists as JSON arrays in TEXT, 0/1 booleans. Columns
-- avoid SQL keywords: start/end → start_date/end_date, date → on_date,
-- session → collective_session, user → account.
-- References are DEFERRABLE INITIALLY DEFERRED: a file may name a record
-- that comes later in it.

CREATE TABLE instance (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  territory TEXT REFERENCES territory(id) DEFERRABLE INITIALLY DEFERRED,
  quorum INTEGER
);
CREATE INDEX instance_by_territory ON instance(territory);

CREATE TABLE instance_member (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  instance TEXT NOT NULL REFERENCES instance(id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  account TEXT REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  role TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT
);
CREATE INDEX instance_member_by_instance ON instance_member(instance, start_date);
CREATE INDEX instance_member_by_account ON instance_member(account);

CREATE TABLE sitting (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  instance TEXT NOT NULL REFERENCES instance(id) DEFERRABLE INITIALLY DEFERRED,
  on_date TEXT NOT NULL,
  present_members TEXT NOT NULL
);
CREATE INDEX sitting_by_instance ON sitting(instance, on_date);
CREATE INDEX sitting_by_date ON sitting(on_date);
-- Derived from sitting.present_members on every write (model/instance.c):
-- one row per member present, so that the rules (members of the instance,
-- active that day, quorum) are plain joins.
CREATE TABLE sitting_member (
  sitting TEXT NOT NULL REFERENCES sitting(id) ON DELETE CASCADE,
  member TEXT NOT NULL,
  PRIMARY KEY (sitting, member)
);
CREATE INDEX sitting_member_by_member ON sitting_member(member);

CREATE TABLE case_review (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  referred_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  grounds TEXT,
  sitting TEXT REFERENCES sitting(id) DEFERRABLE INITIALLY DEFERRED,
  heard INTEGER,
  opinion TEXT,
  notes TEXT
);
CREATE INDEX case_review_by_person ON case_review(person, referred_on);
CREATE INDEX case_review_by_sitting ON case_review(sitting);
CREATE INDEX case_review_by_referred_on ON case_review(referred_on);

CREATE TABLE orientation (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  decided_on TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  itinerary TEXT NOT NULL,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  referent TEXT REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  origin TEXT NOT NULL,
  case_review TEXT REFERENCES case_review(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX orientation_by_person ON orientation(person, start_date);
CREATE INDEX orientation_by_organisation ON orientation(organisation, end_date);
CREATE INDEX orientation_by_referent ON orientation(referent, end_date);
CREATE INDEX orientation_by_start ON orientation(start_date);
CREATE INDEX orientation_by_case_review ON orientation(case_review);

CREATE TABLE referent_assignment (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  referent TEXT NOT NULL REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  start_date TEXT NOT NULL,
  end_date TEXT
);
CREATE INDEX referent_assignment_by_person ON referent_assignment(person, start_date);
CREATE INDEX referent_assignment_by_referent ON referent_assignment(referent, end_date);
CREATE INDEX referent_assignment_by_organisation ON referent_assignment(organisation, end_date);

CREATE TABLE diagnostic (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  on_date TEXT NOT NULL,
  author TEXT REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  autonomy TEXT NOT NULL,
  barriers TEXT NOT NULL
);
CREATE INDEX diagnostic_by_person ON diagnostic(person, on_date);
CREATE INDEX diagnostic_by_author ON diagnostic(author);

CREATE TABLE contract (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  kind TEXT NOT NULL,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  referent TEXT REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  signed_on TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  actions TEXT NOT NULL,
  status TEXT,
  terminated_on TEXT
);
CREATE INDEX contract_by_person ON contract(person, start_date);
CREATE INDEX contract_by_organisation ON contract(organisation, end_date);
CREATE INDEX contract_by_referent ON contract(referent, end_date);
CREATE INDEX contract_by_end ON contract(end_date);

CREATE TABLE appointment (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  referent TEXT REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX appointment_by_person ON appointment(person, at);
CREATE INDEX appointment_by_referent ON appointment(referent, at);
CREATE INDEX appointment_by_organisation ON appointment(organisation, at);
CREATE INDEX appointment_by_at ON appointment(at);

CREATE TABLE collective_session (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  organisation TEXT NOT NULL REFERENCES organisation(id) DEFERRABLE INITIALLY DEFERRED,
  title TEXT NOT NULL,
  at TEXT NOT NULL,
  capacity INTEGER
);
CREATE INDEX collective_session_by_organisation ON collective_session(organisation, at);
CREATE INDEX collective_session_by_at ON collective_session(at);

CREATE TABLE attendance (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  collective_session TEXT NOT NULL
    REFERENCES collective_session(id) DEFERRABLE INITIALLY DEFERRED,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL
);
CREATE INDEX attendance_by_session ON attendance(collective_session, person);
CREATE INDEX attendance_by_person ON attendance(person);

CREATE TABLE survey_response (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  collective_session TEXT NOT NULL
    REFERENCES collective_session(id) DEFERRABLE INITIALLY DEFERRED,
  person TEXT REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  helps_job_search INTEGER,
  helps_personal_life INTEGER
);
CREATE INDEX survey_response_by_session ON survey_response(collective_session);
CREATE INDEX survey_response_by_person ON survey_response(person);

CREATE TABLE step (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  person TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
  on_date TEXT NOT NULL,
  category TEXT NOT NULL,
  contract_type TEXT
);
CREATE INDEX step_by_person ON step(person, on_date);
CREATE INDEX step_by_date ON step(on_date, category);
