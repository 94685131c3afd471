-- 0001_init: the core schema. Everything analysts query goes through the
-- views at the bottom (v_daily, v_country_daily); the tables behind them may
-- change between versions, the views keep their columns.

-- Key/value facts about the database as a whole.
--   data_version  integer, bumped by every ingest transaction that changes data;
--                 the web tier derives ETags from it.
--   refreshed_at  ISO 8601 UTC time of the last change.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('data_version', '0'), ('refreshed_at', '');

-- Every place JHU reports on, as a tree: country > province/state > county
-- (admin2). A reported row with an empty province is the country itself.
-- Name keys are '' rather than NULL so that UNIQUE works; the views turn ''
-- back into NULL. Identity and population come from JHU's
-- UID_ISO_FIPS_LookUp_Table.csv where it knows the place.
CREATE TABLE location (
  id             INTEGER PRIMARY KEY,
  level          TEXT NOT NULL CHECK (level IN ('country', 'province', 'county')),
  parent_id      INTEGER REFERENCES location(id),
  country_region TEXT NOT NULL,
  province_state TEXT NOT NULL DEFAULT '',
  admin2         TEXT NOT NULL DEFAULT '',
  uid            INTEGER,
  iso2           TEXT,
  iso3           TEXT,
  code3          INTEGER,
  fips           TEXT,            -- text; US counties zero-padded to 5
  lat            REAL,
  long           REAL,
  combined_key   TEXT,
  population     INTEGER,
  slug           TEXT NOT NULL UNIQUE,   -- 'us/new-york/kings'
  UNIQUE (country_region, province_state, admin2)
);
CREATE INDEX location_parent ON location(parent_id);

-- Early files name countries differently ('Mainland China', 'Viet Nam', ...).
-- Each alias maps to JHU's current name, so one country is one series.
-- The ingest fills this from its built-in list; analysts can read it.
CREATE TABLE country_alias (
  alias TEXT PRIMARY KEY,
  name  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per location and date as the daily report file gave it.
-- NULL means the file did not say; it is never stored as 0.
-- new_* is the difference from the same location's previous reported date
-- (NULL on its first date); a downward correction stays negative.
CREATE TABLE daily_report (
  location_id         INTEGER NOT NULL REFERENCES location(id),
  date                TEXT NOT NULL,      -- 'YYYY-MM-DD'
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
  last_update         TEXT,               -- ISO 8601 'YYYY-MM-DDTHH:MM:SS'
  ingest_file_id      INTEGER,            -- which fetch produced this row
  PRIMARY KEY (location_id, date)
) WITHOUT ROWID;
CREATE INDEX daily_report_date ON daily_report(date);

-- Totals per country and per province/state for each date: the sum of every
-- reported row below it (counties of a state, provinces of a country, and the
-- node's own row). Kept by the ingest in the same transaction as the rows it
-- sums, so pages and exports never aggregate millions of rows per request.
-- new_* is the difference of the totals from the previous date with a total.
CREATE TABLE region_daily (
  location_id   INTEGER NOT NULL REFERENCES location(id),
  date          TEXT NOT NULL,
  confirmed     INTEGER,
  deaths        INTEGER,
  recovered     INTEGER,
  active        INTEGER,
  new_confirmed INTEGER,
  new_deaths    INTEGER,
  PRIMARY KEY (location_id, date)
) WITHOUT ROWID;
CREATE INDEX region_daily_date ON region_daily(date, location_id);

-- The job log: one row per run of covid-ingest ...
CREATE TABLE ingest_run (
  id              INTEGER PRIMARY KEY,
  pid             INTEGER,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  status          TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  source          TEXT NOT NULL,
  dates_tried     INTEGER NOT NULL DEFAULT 0,
  dates_loaded    INTEGER NOT NULL DEFAULT 0,
  dates_unchanged INTEGER NOT NULL DEFAULT 0,
  dates_failed    INTEGER NOT NULL DEFAULT 0,
  rows_loaded     INTEGER NOT NULL DEFAULT 0,
  rows_rejected   INTEGER NOT NULL DEFAULT 0,
  message         TEXT
);

-- ... and one per file it fetched.
CREATE TABLE ingest_file (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES ingest_run(id),
  date          TEXT NOT NULL,
  url           TEXT NOT NULL,
  fetched_at    TEXT NOT NULL,
  http_status   INTEGER,
  etag          TEXT,
  last_modified TEXT,
  sha256        TEXT,
  status        TEXT NOT NULL CHECK (status IN ('loaded', 'unchanged', 'failed')),
  rows_loaded   INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  error         TEXT
);
CREATE INDEX ingest_file_run ON ingest_file(run_id);
CREATE INDEX ingest_file_date ON ingest_file(date);

-- Rows a file held that could not be loaded, with why.
CREATE TABLE rejected_row (
  ingest_file_id INTEGER NOT NULL REFERENCES ingest_file(id),
  line           INTEGER NOT NULL,
  reason         TEXT NOT NULL,
  raw            TEXT
);
CREATE INDEX rejected_row_file ON rejected_row(ingest_file_id);

-- What is loaded for each date now: the validators for the next conditional
-- request and the hash that tells a changed body from an unchanged one.
CREATE TABLE source_file (
  date           TEXT PRIMARY KEY,
  url            TEXT NOT NULL,
  etag           TEXT,
  last_modified  TEXT,
  sha256         TEXT NOT NULL,
  ingest_file_id INTEGER NOT NULL REFERENCES ingest_file(id)
) WITHOUT ROWID;

-- Public face: one row per date and reported location.
CREATE VIEW v_daily AS
SELECT d.date,
       l.country_region,
       NULLIF(l.province_state, '') AS province_state,
       NULLIF(l.admin2, '')         AS admin2,
       l.fips, l.iso3, l.uid, l.combined_key,
       COALESCE(d.lat, l.lat)       AS lat,
       COALESCE(d.long, l.long)     AS long,
       l.population,
       d.confirmed, d.deaths, d.recovered, d.active,
       d.new_confirmed, d.new_deaths,
       d.incident_rate, d.case_fatality_ratio,
       d.last_update
  FROM daily_report d JOIN location l ON l.id = d.location_id;

-- Public face: one row per date and country, the sum of its rows.
CREATE VIEW v_country_daily AS
SELECT r.date, l.country_region, l.iso3, l.population,
       r.confirmed, r.deaths, r.recovered,
       r.new_confirmed, r.new_deaths
  FROM region_daily r JOIN location l ON l.id = r.location_id
 WHERE l.level = 'country';
