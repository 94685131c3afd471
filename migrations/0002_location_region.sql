-- 0002_location_region: which regions each location counts towards.
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
