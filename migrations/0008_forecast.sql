-- 0008_forecast: 1-4 week ahead forecasts of weekly new cases and deaths,
-- each place's backtest over the whole history and its scores
-- (bin/covid-forecast, src/forecast/; the models and the scoring:
-- docs/forecasts.md).
--
-- forecast: one row per model, place, target, origin and horizon with its
-- 23 quantiles in one row (q01 .. q23, at the levels of forecast_quantile)
-- rather than 23 rows: the backtest is about a million forecasts, and one
-- row each keeps it a fraction of the size. v_forecast unpacks them.
-- origin_date is the Saturday that ends the last week the forecast knew;
-- horizon h targets the week ending origin_date + 7 h days. history says
-- what the forecast knew: 1 = the daily reports as JHU published them up
-- to origin_date (what was known then), 2 = JHU's time series, the history
-- as corrected later (the place has no complete daily reports: the
-- forecast could not have been made then with these numbers). observed is
-- the target week's total from the same source once it is known (NULL
-- before), and the scores (docs/forecasts.md) are filled with it.
CREATE TABLE forecast_model (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL
);
INSERT INTO forecast_model(id, name, description) VALUES
  (1, 'baseline', 'COVIDhub-baseline: the last weekly total, with the spread of all past week-to-week changes and their negatives'),
  (2, 'ensemble', 'the average, quantile by quantile, of the baseline and a damped-trend smoothing of log weekly totals whose intervals come from its own pooled past errors');

CREATE TABLE forecast_quantile (
  i        INTEGER PRIMARY KEY,
  quantile REAL NOT NULL
);
INSERT INTO forecast_quantile(i, quantile) VALUES
  (1, 0.01),
  (2, 0.025),
  (3, 0.05),
  (4, 0.1),
  (5, 0.15),
  (6, 0.2),
  (7, 0.25),
  (8, 0.3),
  (9, 0.35),
  (10, 0.4),
  (11, 0.45),
  (12, 0.5),
  (13, 0.55),
  (14, 0.6),
  (15, 0.65),
  (16, 0.7),
  (17, 0.75),
  (18, 0.8),
  (19, 0.85),
  (20, 0.9),
  (21, 0.95),
  (22, 0.975),
  (23, 0.99);

CREATE TABLE forecast (
  model_id    INTEGER NOT NULL REFERENCES forecast_model(id),
  location_id INTEGER NOT NULL REFERENCES location(id),
  target      INTEGER NOT NULL CHECK (target IN (1, 2)),   -- 1 cases, 2 deaths
  origin_date TEXT NOT NULL,
  horizon     INTEGER NOT NULL CHECK (horizon BETWEEN 1 AND 4),
  history     INTEGER NOT NULL CHECK (history IN (1, 2)),
  last_week   REAL NOT NULL,   -- the origin week's total it started from
  q01 REAL,
  q02 REAL,
  q03 REAL,
  q04 REAL,
  q05 REAL,
  q06 REAL,
  q07 REAL,
  q08 REAL,
  q09 REAL,
  q10 REAL,
  q11 REAL,
  q12 REAL,
  q13 REAL,
  q14 REAL,
  q15 REAL,
  q16 REAL,
  q17 REAL,
  q18 REAL,
  q19 REAL,
  q20 REAL,
  q21 REAL,
  q22 REAL,
  q23 REAL,
  observed    REAL,
  wis         REAL,
  abs_error   REAL,
  cover50     INTEGER,
  cover95     INTEGER,
  PRIMARY KEY (location_id, target, origin_date, model_id, horizon)
) WITHOUT ROWID;

-- The skill table /forecasts shows, made by each run from every scored
-- forecast: per model, target, scope (the places' level) and horizon
-- (0 = horizons 1-4 together). rel_wis is the geometric mean over the
-- places of the place's relative WIS (its summed WIS over the baseline's
-- on the forecasts both made); rel_wis_pooled the Hub's pairwise ratio of
-- the WIS summed over all of them; beats the share of places with a
-- relative WIS below 1; cover50/cover95 the share of outcomes inside the
-- 50 % and 95 % intervals.
CREATE TABLE forecast_skill (
  model_id       INTEGER NOT NULL REFERENCES forecast_model(id),
  target         INTEGER NOT NULL,
  scope          TEXT NOT NULL,
  horizon        INTEGER NOT NULL,
  places         INTEGER NOT NULL,
  forecasts      INTEGER NOT NULL,
  rel_wis        REAL,
  rel_wis_pooled REAL,
  beats          REAL,
  cover50        REAL,
  cover95        REAL,
  mean_wis       REAL,
  PRIMARY KEY (model_id, target, scope, horizon)
) WITHOUT ROWID;

-- Skill over time: the same relative WIS (countries, horizons 1-4) for the
-- forecasts made in each quarter.
CREATE TABLE forecast_skill_time (
  model_id     INTEGER NOT NULL REFERENCES forecast_model(id),
  target       INTEGER NOT NULL,
  period_start TEXT NOT NULL,
  places       INTEGER NOT NULL,
  rel_wis      REAL,
  cover95      REAL,
  PRIMARY KEY (model_id, target, period_start)
) WITHOUT ROWID;

-- The job log of covid-forecast, as ingest_run is the ingest's.
CREATE TABLE forecast_run (
  id          INTEGER PRIMARY KEY,
  pid         INTEGER,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
  origins     INTEGER NOT NULL DEFAULT 0,
  rows_written INTEGER NOT NULL DEFAULT 0,
  message     TEXT
);

-- Public face: one row per forecast quantile, the Forecast Hub's long
-- layout. A country has '' as province_state and admin2.
CREATE VIEW v_forecast AS
SELECT m.name AS model,
       l.country_region, l.province_state, l.admin2, l.uid,
       CASE f.target WHEN 1 THEN 'inc case' ELSE 'inc death' END AS target,
       f.origin_date,
       f.horizon AS horizon_weeks,
       date(f.origin_date, '+' || (7 * f.horizon) || ' days') AS target_end_date,
       q.quantile,
       CASE q.i
         WHEN 1 THEN f.q01
         WHEN 2 THEN f.q02
         WHEN 3 THEN f.q03
         WHEN 4 THEN f.q04
         WHEN 5 THEN f.q05
         WHEN 6 THEN f.q06
         WHEN 7 THEN f.q07
         WHEN 8 THEN f.q08
         WHEN 9 THEN f.q09
         WHEN 10 THEN f.q10
         WHEN 11 THEN f.q11
         WHEN 12 THEN f.q12
         WHEN 13 THEN f.q13
         WHEN 14 THEN f.q14
         WHEN 15 THEN f.q15
         WHEN 16 THEN f.q16
         WHEN 17 THEN f.q17
         WHEN 18 THEN f.q18
         WHEN 19 THEN f.q19
         WHEN 20 THEN f.q20
         WHEN 21 THEN f.q21
         WHEN 22 THEN f.q22
         WHEN 23 THEN f.q23
       END AS value
  FROM forecast f
  JOIN forecast_model m ON m.id = f.model_id
  JOIN location l ON l.id = f.location_id
  CROSS JOIN forecast_quantile q;

-- Public face: one row per scored forecast (its outcome known), with the
-- baseline's WIS for the same target beside it.
CREATE VIEW v_forecast_score AS
SELECT m.name AS model,
       l.country_region, l.province_state, l.admin2, l.uid,
       CASE f.target WHEN 1 THEN 'inc case' ELSE 'inc death' END AS target,
       f.origin_date,
       f.horizon AS horizon_weeks,
       date(f.origin_date, '+' || (7 * f.horizon) || ' days') AS target_end_date,
       CASE f.history WHEN 1 THEN 'as reported' ELSE 'revised' END AS history,
       f.observed, f.wis, f.abs_error,
       f.cover50 AS covered_50, f.cover95 AS covered_95,
       b.wis AS baseline_wis,
       f.wis / NULLIF(b.wis, 0) AS relative_wis
  FROM forecast f
  JOIN forecast_model m ON m.id = f.model_id
  JOIN location l ON l.id = f.location_id
  LEFT JOIN forecast b ON b.location_id = f.location_id AND b.target = f.target
       AND b.origin_date = f.origin_date AND b.horizon = f.horizon
       AND b.model_id = 1
 WHERE f.observed IS NOT NULL;
