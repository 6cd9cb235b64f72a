-- 0008 — covering indexes for the référent's pages (docs/bench.md §3):
-- the caseload ("Mon portefeuille") asks a dozen questions per person
-- followed (current orientation, contract in force, appointments), and
-- every people query of a référent builds the set of people linked to
-- them or to their organisation. With the columns those queries test in
-- the index, each answer is read from the index alone instead of one
-- table row per index entry (45 % of the caseload page's time was those
-- row lookups). Each new index starts with the columns of the one it
-- replaces, so every query that used the old one can use the new one.
-- Portable SQL as in 0001.

DROP INDEX orientation_by_person;
CREATE INDEX orientation_by_person ON orientation(person, start_date, end_date, itinerary);
DROP INDEX orientation_by_organisation;
CREATE INDEX orientation_by_organisation ON orientation(organisation, end_date, start_date, person);
DROP INDEX orientation_by_referent;
CREATE INDEX orientation_by_referent ON orientation(referent, end_date, start_date, person);

DROP INDEX referent_assignment_by_referent;
CREATE INDEX referent_assignment_by_referent
  ON referent_assignment(referent, end_date, start_date, person);
DROP INDEX referent_assignment_by_organisation;
CREATE INDEX referent_assignment_by_organisation
  ON referent_assignment(organisation, end_date, start_date, person);

DROP INDEX contract_by_person;
CREATE INDEX contract_by_person ON contract(person, start_date, kind, end_date, terminated_on);

DROP INDEX appointment_by_person;
CREATE INDEX appointment_by_person ON appointment(person, at, status);
