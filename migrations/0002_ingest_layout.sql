-- 0002_ingest_layout: what the ingest needs to load a date quickly.
--
-- 1. daily_report and region_daily are stored in date order.
-- 0001 clustered both by (location_id, date). Loading a date appends one row
-- per location, so under that key every commit rewrote one page per location
-- (about 3,500 pages, 14 MB of WAL, per daily file) and the backfill spent
-- most of its time writing pages. Keyed by (date, location_id), a date's rows
-- are contiguous: a load appends a few dozen pages, and "every place on a
-- date" (region totals, date pages, exports) is one range scan. The series
-- of one place uses the (location_id, date) indexes instead. They carry
-- confirmed and deaths, so a place's previous date and counts (the ingest's
-- deltas) and its case/death series are read from the index alone.
-- Columns and views are unchanged.
-- The views name these tables, so the rename keeps the old behaviour of not
-- rewriting views (legacy_alter_table): the rebuilt tables take their place.
PRAGMA legacy_alter_table = ON;

CREATE TABLE daily_report_new (
  location_id         INTEGER NOT NULL REFERENCES location(id),
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
  location_id   INTEGER NOT NULL REFERENCES location(id),
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

-- 2. Which regions each location counts towards.
-- A region is a country or province/state node. Every location maps to each
-- region above it and to itself unless it is a county:
--   'US'                      -> US
--   'New York, US'            -> New York, US
--   'Kings, New York, US'     -> New York, US
-- so region_daily for a date is one GROUP BY over that date's rows joined
-- with this table (see src/store.c), instead of a walk up the tree per row.
-- The ingest adds the rows when it creates a location; parents never change.
CREATE TABLE location_region (
  location_id INTEGER NOT NULL REFERENCES location(id),
  region_id   INTEGER NOT NULL REFERENCES location(id),
  PRIMARY KEY (location_id, region_id)
) WITHOUT ROWID;

INSERT INTO location_region (location_id, region_id)
SELECT id, id FROM location WHERE level <> 'county'
UNION
SELECT id, parent_id FROM location WHERE parent_id IS NOT NULL
UNION
SELECT c.id, p.parent_id
  FROM location c JOIN location p ON p.id = c.parent_id
 WHERE p.parent_id IS NOT NULL;
