-- 0003_deferred_location_refs: daily_report's and region_daily's reference to
-- location is checked when a transaction commits, not after each statement.
--
-- The ingest writes a date's rows (and its region totals) with one
-- INSERT ... SELECT each (src/store.c). A statement that writes many rows
-- under an immediate foreign key must be undoable on its own if the check
-- fails at its end, so SQLite first copies every page the statement changes
-- into a statement journal: one page per place of each per-place index for
-- every date, a quarter of a long backfill's time and memory that grew with
-- the history. Checked at commit instead, a dangling location_id still fails
-- the commit, and nothing of it is kept: the database never holds one.
-- Columns, keys, indexes and views are unchanged; the tables are rebuilt as
-- in 0002 (SQLite cannot alter a constraint), with the old behaviour of not
-- rewriting the views on rename.
PRAGMA legacy_alter_table = ON;

CREATE TABLE daily_report_new (
  location_id         INTEGER NOT NULL
                      REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED,
  date                TEXT NOT NULL,
  confirmed           INTEGER,
  deaths              INTEGER,
  recovered           INTEGER,
  active              INTEGER,
  new_confirmed       INTEGER,
  new_deaths          INTEGER,
  incident_rate       REAL,
  case_fatality_ratio REAL,
  lat                 REAL,
  long                REAL,
  last_update         TEXT,
  ingest_file_id      INTEGER,
  PRIMARY KEY (date, location_id)
) WITHOUT ROWID;
INSERT INTO daily_report_new SELECT location_id, date, confirmed, deaths,
  recovered, active, new_confirmed, new_deaths, incident_rate,
  case_fatality_ratio, lat, long, last_update, ingest_file_id
  FROM daily_report;
DROP TABLE daily_report;
ALTER TABLE daily_report_new RENAME TO daily_report;
CREATE INDEX daily_report_location
  ON daily_report(location_id, date, confirmed, deaths);

CREATE TABLE region_daily_new (
  location_id   INTEGER NOT NULL
                REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED,
  date          TEXT NOT NULL,
  confirmed     INTEGER,
  deaths        INTEGER,
  recovered     INTEGER,
  active        INTEGER,
  new_confirmed INTEGER,
  new_deaths    INTEGER,
  PRIMARY KEY (date, location_id)
) WITHOUT ROWID;
INSERT INTO region_daily_new SELECT location_id, date, confirmed, deaths,
  recovered, active, new_confirmed, new_deaths
  FROM region_daily;
DROP TABLE region_daily;
ALTER TABLE region_daily_new RENAME TO region_daily;
CREATE INDEX region_daily_location
  ON region_daily(location_id, date, confirmed, deaths);

PRAGMA legacy_alter_table = OFF;
