-- 0006 — temporary cover of a référent's caseload (issue 3, "Orientation and
-- référent"): during an absence, a colleague of the same organisation
-- (covering_referent) follows the people of the absent référent from
-- start_date to end_date, both included; the cover ends by itself.
-- Exchange type `referent_cover` (fields absent, covering, start, end).
-- Portable SQL as in 0001.

CREATE TABLE referent_cover (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL DEFAULT 1,
  absent_referent TEXT NOT NULL REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  covering_referent TEXT NOT NULL REFERENCES account(id) DEFERRABLE INITIALLY DEFERRED,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL
);
CREATE INDEX referent_cover_by_covering ON referent_cover(covering_referent, end_date);
CREATE INDEX referent_cover_by_absent ON referent_cover(absent_referent, end_date);

