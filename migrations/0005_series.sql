-- 0005_series: JHU's time series, beside the daily reports.
--
-- JHU publishes two products. The daily reports (daily_report, one file per
-- date) say what was reported on each date, with many fields. The time series
-- (csse_covid_19_time_series/, one file per metric, one row per place, one
-- column per date) are the history JHU keeps revising when it corrects the
-- past: every date from 2020-01-22, for fewer places (countries, the
-- provinces of Australia, Canada and China, the dependencies of Denmark,
-- France, the Netherlands and the UK; US counties, states and territories in
-- the two US files) and three figures.
--
-- series: one row per place and date, as the files give it. product says
-- which of the two file families a row came from: 1 = the global files
-- (time_series_covid19_*_global.csv), 2 = the US files
-- (time_series_covid19_*_US.csv). A place is in one family only: the US is a
-- single country row of the global files; its states and counties are in the
-- US files. A metric the files do not give (recovered for the US files) is
-- NULL, never 0. Keyed by place then date: every read is one place's history,
-- and a file is written place by place.
CREATE TABLE series (
  location_id INTEGER NOT NULL
              REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED,
  date        TEXT NOT NULL,              -- 'YYYY-MM-DD'
  product     INTEGER NOT NULL CHECK (product IN (1, 2)),
  confirmed   INTEGER,
  deaths      INTEGER,
  recovered   INTEGER,
  PRIMARY KEY (location_id, date)
) WITHOUT ROWID;

-- Totals per country and per province/state and date from the series, as
-- region_daily is for the daily reports: a country sums the rows of the
-- global files under it (its own row and its provinces'); a province sums
-- the rows under it of whichever family lists it (its own row in the global
-- files; its counties in the US files). The ingest keeps it in the same
-- transaction as the rows it sums.
CREATE TABLE series_region (
  location_id INTEGER NOT NULL
              REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED,
  date        TEXT NOT NULL,
  confirmed   INTEGER,
  deaths      INTEGER,
  recovered   INTEGER,
  PRIMARY KEY (location_id, date)
) WITHOUT ROWID;

-- What is loaded from each series file now (as source_file is for the daily
-- reports): the validators for the next conditional request and the hash
-- that tells a changed body from an unchanged one. name is the file's stem,
-- 'confirmed_global', 'deaths_US', ... places: how many places the file
-- listed (a file with far fewer is more likely cut off than revised).
CREATE TABLE series_source (
  name                 TEXT PRIMARY KEY,
  places               INTEGER NOT NULL DEFAULT 0,
  url                  TEXT NOT NULL,
  etag                 TEXT,
  last_modified        TEXT,
  last_modified_strong INTEGER NOT NULL DEFAULT 0
                       CHECK (last_modified_strong IN (0, 1)),
  sha256               TEXT NOT NULL,
  ingest_file_id       INTEGER NOT NULL REFERENCES ingest_file(id)
) WITHOUT ROWID;

-- The job log names the series file a row is about (NULL for a daily
-- report); its date is then the newest date column of the file ('' when the
-- file failed before its header was read).
ALTER TABLE ingest_file ADD COLUMN series TEXT;

-- Public face: one row per date and place of the series, with the same
-- place columns as v_daily (the same uid, the same names), the daily new
-- figures (the change from the day before; a downward correction stays
-- negative) and their 7-day averages (the change over the last 7 days / 7,
-- NULL for the first 7 days of a place).
CREATE VIEW v_series AS
SELECT s.date,
       l.country_region,
       NULLIF(l.province_state, '') AS province_state,
       NULLIF(l.admin2, '')         AS admin2,
       l.fips, l.iso3, l.uid, l.combined_key, l.population,
       s.confirmed, s.deaths, s.recovered,
       s.confirmed - LAG(s.confirmed) OVER w AS new_confirmed,
       s.deaths    - LAG(s.deaths)    OVER w AS new_deaths,
       (s.confirmed - LAG(s.confirmed, 7) OVER w) / 7.0 AS new_confirmed_7d,
       (s.deaths    - LAG(s.deaths, 7)    OVER w) / 7.0 AS new_deaths_7d
  FROM series s JOIN location l ON l.id = s.location_id
WINDOW w AS (PARTITION BY s.location_id ORDER BY s.date);

-- Public face: one row per date and country, summed where JHU gives
-- provinces (Australia, Canada, China, and the countries with dependencies).
CREATE VIEW v_country_series AS
SELECT r.date, l.country_region, l.iso3, l.uid, l.population,
       r.confirmed, r.deaths, r.recovered,
       r.confirmed - LAG(r.confirmed) OVER w AS new_confirmed,
       r.deaths    - LAG(r.deaths)    OVER w AS new_deaths,
       (r.confirmed - LAG(r.confirmed, 7) OVER w) / 7.0 AS new_confirmed_7d,
       (r.deaths    - LAG(r.deaths, 7)    OVER w) / 7.0 AS new_deaths_7d
  FROM series_region r JOIN location l ON l.id = r.location_id
 WHERE l.level = 'country'
WINDOW w AS (PARTITION BY r.location_id ORDER BY r.date);
