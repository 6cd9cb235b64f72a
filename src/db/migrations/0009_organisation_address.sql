-- 0009 — an organisation's postal contact (issue 3: the letters an
-- organisation sends carry its address). Exchange fields `address` (street
-- part on one line), `postal_code`, `city`, `phone`, `email` of the type
-- `organisation`, all optional (docs/exchange-format.md). Existing rows
-- get none: their letters print the name only, as before.
-- Portable SQL as in 0001: one column per ALTER TABLE, the form SQLite
-- and PostgreSQL both take.

ALTER TABLE organisation ADD COLUMN address TEXT;
ALTER TABLE organisation ADD COLUMN postal_code TEXT;
ALTER TABLE organisation ADD COLUMN city TEXT;
ALTER TABLE organisation ADD COLUMN phone TEXT;
ALTER TABLE organisation ADD COLUMN email TEXT;
