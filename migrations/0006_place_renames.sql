-- 0006_place_renames: the early city- and county-style places of JHU's
-- daily reports (January to March 2020) go to their county and state.
--
-- Until 2020-03-09 JHU's files named US and Canadian places as
-- "Boston, MA", "Chicago", "Cook County, IL", "Toronto, ON",
-- "Travis, CA (From Diamond Princess)" in Province/State. They are not states:
-- JHU's own time series count them under their county and state (Boston under
-- Suffolk, Massachusetts; Toronto under Ontario; the repatriation bases under
-- the US province "Diamond Princess"). place_rename says where each goes; the
-- store (src/store/store_renames.c) reads it at open and gives a row of such a
-- name the target's location. Targets are names of JHU's lookup table
-- (UID_ISO_FIPS_LookUp_Table.csv), checked by tests/unit/store/test_store_renames.c.
-- to_admin2 '' means the province itself. Analysts can read the table.
--
-- Two renamed rows that land on one place on one date are ADDED, not
-- resolved as duplicates: they are reports of separate places within it.
-- The data says so: "Toronto, ON" (2) and "London, ON" (1) on 2020-02-15, 17
-- and 1 on 2020-03-02, are two cities of Ontario, and JHU's Ontario series has
-- 5 and 31 on those days (more than either alone); the four
-- "(From Diamond Princess)" rows of 2020-02-28 to 2020-03-02 are separate
-- bases (44 unassigned, the bases 0). No file on this machine has two early
-- names of one county on one date ("Chicago, IL" last on 2020-03-01,
-- "Cook County, IL" from 2020-03-02: JHU's Cook series has 3 then 4; "Seattle,
-- WA" then "King County, WA" likewise). A renamed row and a row with the
-- target's own name on one date stay the store's duplicate rule (the more
-- advanced report is kept): the target's own row counts the whole place.
-- State totals are not doubled on the transition: before 2020-03-10 the US
-- files have either the early names or no state row for that state (the
-- state rows of 2020-01-25 to 2020-01-31, "Illinois", "California", come
-- with no city rows), so each case counts once towards its state.
--
-- Repair of a database loaded before this migration: the locations the old
-- program made of these names (a "province" "Boston, MA" under US) are
-- removed with every row of each date they were on (daily_report,
-- region_daily) and those dates' source_file rows; the job log keeps its
-- history. The dates are then simply not loaded: reload them with
--   covid-ingest --from 2020-01-22 --to 2020-03-21 --skip-missing
-- (a date without a source_file row is fetched unconditionally and loaded in
-- full; a run without dates only loads dates after the newest one, so the
-- range is needed). The next dates' new_* deltas are recomputed as each
-- date is reloaded.
CREATE TABLE place_rename (
  country_region    TEXT NOT NULL,
  province_state    TEXT NOT NULL,   -- the early name, as the file gives it
  to_province_state TEXT NOT NULL,   -- the lookup table's state or province
  to_admin2         TEXT NOT NULL DEFAULT '',  -- its county; '' for none
  PRIMARY KEY (country_region, province_state)
) WITHOUT ROWID;

INSERT INTO place_rename(country_region, province_state, to_province_state, to_admin2) VALUES
  -- Names of the files on this machine (2020-01-24 to 2020-03-02).
  ('US', 'Chicago', 'Illinois', 'Cook'),
  ('US', 'Chicago, IL', 'Illinois', 'Cook'),
  ('US', 'Cook County, IL', 'Illinois', 'Cook'),
  ('US', 'Boston, MA', 'Massachusetts', 'Suffolk'),
  ('US', 'Los Angeles, CA', 'California', 'Los Angeles'),
  ('US', 'Orange, CA', 'California', 'Orange'),
  ('US', 'Santa Clara, CA', 'California', 'Santa Clara'),
  ('US', 'Seattle, WA', 'Washington', 'King'),
  ('US', 'King County, WA', 'Washington', 'King'),
  ('US', 'Tempe, AZ', 'Arizona', 'Maricopa'),
  ('US', 'San Benito, CA', 'California', 'San Benito'),
  ('US', 'San Diego County, CA', 'California', 'San Diego'),
  ('US', 'Madison, WI', 'Wisconsin', 'Dane'),
  ('US', 'San Antonio, TX', 'Texas', 'Bexar'),
  ('US', 'Sacramento County, CA', 'California', 'Sacramento'),
  ('US', 'Humboldt County, CA', 'California', 'Humboldt'),
  ('US', 'Portland, OR', 'Oregon', 'Multnomah'),
  ('US', 'Snohomish County, WA', 'Washington', 'Snohomish'),
  ('US', 'Providence, RI', 'Rhode Island', 'Providence'),
  ('US', 'Grafton County, NH', 'New Hampshire', 'Grafton'),
  ('US', 'Hillsborough, FL', 'Florida', 'Hillsborough'),
  ('US', 'New York City, NY', 'New York', 'New York'),
  ('US', 'Placer County, CA', 'California', 'Placer'),
  ('US', 'San Mateo, CA', 'California', 'San Mateo'),
  ('US', 'Sarasota, FL', 'Florida', 'Sarasota'),
  ('US', 'Sonoma County, CA', 'California', 'Sonoma'),
  ('US', 'Umatilla, OR', 'Oregon', 'Umatilla'),
  ('US', 'Lackland, TX (From Diamond Princess)', 'Diamond Princess', ''),
  ('US', 'Omaha, NE (From Diamond Princess)', 'Diamond Princess', ''),
  ('US', 'Travis, CA (From Diamond Princess)', 'Diamond Princess', ''),
  ('US', 'Unassigned Location (From Diamond Princess)', 'Diamond Princess', ''),
  ('Canada', 'Toronto, ON', 'Ontario', ''),
  ('Canada', 'London, ON', 'Ontario', ''),
  ('Canada', 'Montreal, QC', 'Quebec', ''),
  ('Canada', 'Calgary, Alberta', 'Alberta', ''),
  ('Canada', 'Edmonton, Alberta', 'Alberta', ''),
  -- Names of JHU's files of 2020-03-03 to 2020-03-09 (not on this machine).
  ('US', 'Santa Clara County, CA', 'California', 'Santa Clara'),
  ('US', 'Los Angeles County, CA', 'California', 'Los Angeles'),
  ('US', 'Orange County, CA', 'California', 'Orange'),
  ('US', 'San Francisco County, CA', 'California', 'San Francisco'),
  ('US', 'Contra Costa County, CA', 'California', 'Contra Costa'),
  ('US', 'Alameda County, CA', 'California', 'Alameda'),
  ('US', 'Berkeley, CA', 'California', 'Alameda'),
  ('US', 'Marin, CA', 'California', 'Marin'),
  ('US', 'Yolo County, CA', 'California', 'Yolo'),
  ('US', 'Fresno County, CA', 'California', 'Fresno'),
  ('US', 'Riverside County, CA', 'California', 'Riverside'),
  ('US', 'Santa Cruz County, CA', 'California', 'Santa Cruz'),
  ('US', 'Madera County, CA', 'California', 'Madera'),
  ('US', 'Shasta County, CA', 'California', 'Shasta'),
  ('US', 'Ventura, CA', 'California', 'Ventura'),
  ('US', 'Napa, CA', 'California', 'Napa'),
  ('US', 'Solano, CA', 'California', 'Solano'),
  ('US', 'Stanislaus, CA', 'California', 'Stanislaus'),
  ('US', 'Calaveras, CA', 'California', 'Calaveras'),
  ('US', 'Spokane County, WA', 'Washington', 'Spokane'),
  ('US', 'Kittitas County, WA', 'Washington', 'Kittitas'),
  ('US', 'Clark County, WA', 'Washington', 'Clark'),
  ('US', 'Jefferson County, WA', 'Washington', 'Jefferson'),
  ('US', 'Pierce County, WA', 'Washington', 'Pierce'),
  ('US', 'Grant County, WA', 'Washington', 'Grant'),
  ('US', 'Kitsap, WA', 'Washington', 'Kitsap'),
  ('US', 'Thurston, WA', 'Washington', 'Thurston'),
  ('US', 'Skagit, WA', 'Washington', 'Skagit'),
  ('US', 'Island, WA', 'Washington', 'Island'),
  ('US', 'Unassigned Location, WA', 'Washington', 'Unassigned'),
  ('US', 'Maricopa County, AZ', 'Arizona', 'Maricopa'),
  ('US', 'Pinal County, AZ', 'Arizona', 'Pinal'),
  ('US', 'Harris County, TX', 'Texas', 'Harris'),
  ('US', 'Fort Bend County, TX', 'Texas', 'Fort Bend'),
  ('US', 'Collin County, TX', 'Texas', 'Collin'),
  ('US', 'Montgomery County, TX', 'Texas', 'Montgomery'),
  ('US', 'Washington County, OR', 'Oregon', 'Washington'),
  ('US', 'Clark County, NV', 'Nevada', 'Clark'),
  ('US', 'Washoe County, NV', 'Nevada', 'Washoe'),
  ('US', 'New York County, NY', 'New York', 'New York'),
  ('US', 'Westchester County, NY', 'New York', 'Westchester'),
  ('US', 'Nassau County, NY', 'New York', 'Nassau'),
  ('US', 'Rockland County, NY', 'New York', 'Rockland'),
  ('US', 'Saratoga County, NY', 'New York', 'Saratoga'),
  ('US', 'Suffolk County, NY', 'New York', 'Suffolk'),
  ('US', 'Ulster County, NY', 'New York', 'Ulster'),
  ('US', 'Norfolk County, MA', 'Massachusetts', 'Norfolk'),
  ('US', 'Middlesex County, MA', 'Massachusetts', 'Middlesex'),
  ('US', 'Suffolk County, MA', 'Massachusetts', 'Suffolk'),
  ('US', 'Berkshire County, MA', 'Massachusetts', 'Berkshire'),
  ('US', 'Plymouth County, MA', 'Massachusetts', 'Plymouth'),
  ('US', 'Fulton County, GA', 'Georgia', 'Fulton'),
  ('US', 'Cobb County, GA', 'Georgia', 'Cobb'),
  ('US', 'Floyd County, GA', 'Georgia', 'Floyd'),
  ('US', 'Polk County, GA', 'Georgia', 'Polk'),
  ('US', 'Wake County, NC', 'North Carolina', 'Wake'),
  ('US', 'Chatham County, NC', 'North Carolina', 'Chatham'),
  ('US', 'Bergen County, NJ', 'New Jersey', 'Bergen'),
  ('US', 'Hudson County, NJ', 'New Jersey', 'Hudson'),
  ('US', 'Camden, NJ', 'New Jersey', 'Camden'),
  ('US', 'Davidson County, TN', 'Tennessee', 'Davidson'),
  ('US', 'Williamson County, TN', 'Tennessee', 'Williamson'),
  ('US', 'Shelby County, TN', 'Tennessee', 'Shelby'),
  ('US', 'Denver County, CO', 'Colorado', 'Denver'),
  ('US', 'Douglas County, CO', 'Colorado', 'Douglas'),
  ('US', 'Summit County, CO', 'Colorado', 'Summit'),
  ('US', 'El Paso County, CO', 'Colorado', 'El Paso'),
  ('US', 'Montgomery County, MD', 'Maryland', 'Montgomery'),
  ('US', 'Harford County, MD', 'Maryland', 'Harford'),
  ('US', 'Anne Arundel County, MD', 'Maryland', 'Anne Arundel'),
  ('US', 'Baltimore County, MD', 'Maryland', 'Baltimore'),
  ('US', 'Prince George''s County, MD', 'Maryland', 'Prince George''s'),
  ('US', 'Fairfax County, VA', 'Virginia', 'Fairfax'),
  ('US', 'Arlington County, VA', 'Virginia', 'Arlington'),
  ('US', 'Loudoun County, VA', 'Virginia', 'Loudoun'),
  ('US', 'Virginia Beach, VA', 'Virginia', 'Virginia Beach'),
  ('US', 'Washington, D.C.', 'District of Columbia', 'District of Columbia'),
  ('US', 'Broward County, FL', 'Florida', 'Broward'),
  ('US', 'Manatee County, FL', 'Florida', 'Manatee'),
  ('US', 'Lee County, FL', 'Florida', 'Lee'),
  ('US', 'Okaloosa County, FL', 'Florida', 'Okaloosa'),
  ('US', 'Volusia County, FL', 'Florida', 'Volusia'),
  ('US', 'Charlotte County, FL', 'Florida', 'Charlotte'),
  ('US', 'Santa Rosa County, FL', 'Florida', 'Santa Rosa'),
  ('US', 'Johnson County, KS', 'Kansas', 'Johnson'),
  ('US', 'Wayne County, PA', 'Pennsylvania', 'Wayne'),
  ('US', 'Delaware County, PA', 'Pennsylvania', 'Delaware'),
  ('US', 'Montgomery County, PA', 'Pennsylvania', 'Montgomery'),
  ('US', 'Bennington County, VT', 'Vermont', 'Bennington'),
  ('US', 'Providence County, RI', 'Rhode Island', 'Providence'),
  ('US', 'Hendricks County, IN', 'Indiana', 'Hendricks'),
  ('US', 'Marion County, IN', 'Indiana', 'Marion'),
  ('US', 'Carver County, MN', 'Minnesota', 'Carver'),
  ('US', 'Ramsey County, MN', 'Minnesota', 'Ramsey'),
  ('US', 'Douglas County, NE', 'Nebraska', 'Douglas'),
  ('US', 'Charleston County, SC', 'South Carolina', 'Charleston'),
  ('US', 'Kershaw County, SC', 'South Carolina', 'Kershaw'),
  ('US', 'Spartanburg County, SC', 'South Carolina', 'Spartanburg'),
  ('US', 'Fayette County, KY', 'Kentucky', 'Fayette'),
  ('US', 'Harrison County, KY', 'Kentucky', 'Harrison'),
  ('US', 'Jefferson County, KY', 'Kentucky', 'Jefferson'),
  ('US', 'Tulsa County, OK', 'Oklahoma', 'Tulsa'),
  ('US', 'Honolulu County, HI', 'Hawaii', 'Honolulu'),
  ('US', 'Salt Lake County, UT', 'Utah', 'Salt Lake'),
  ('US', 'Davis County, UT', 'Utah', 'Davis'),
  ('US', 'Rockingham County, NH', 'New Hampshire', 'Rockingham'),
  ('US', 'Fairfield County, CT', 'Connecticut', 'Fairfield'),
  ('US', 'Litchfield County, CT', 'Connecticut', 'Litchfield'),
  ('US', 'New Haven County, CT', 'Connecticut', 'New Haven'),
  ('US', 'Virgin Islands, U.S.', 'Virgin Islands', ''),
  -- 03-21-2020 calls it "United States Virgin Islands"; later files
  -- "Virgin Islands", the lookup table's name.
  ('US', 'United States Virgin Islands', 'Virgin Islands', '');

-- The repair (nothing to do on a new database).
CREATE TEMP TABLE renamed_location AS
  SELECT l.id FROM location l
  JOIN place_rename r ON r.country_region = l.country_region
                     AND r.province_state = l.province_state
  WHERE l.admin2 = '';
CREATE TEMP TABLE renamed_date AS
  SELECT DISTINCT date FROM daily_report
  WHERE location_id IN (SELECT id FROM renamed_location);
DELETE FROM daily_report WHERE date IN (SELECT date FROM renamed_date);
DELETE FROM region_daily WHERE date IN (SELECT date FROM renamed_date)
   OR location_id IN (SELECT id FROM renamed_location);
DELETE FROM source_file WHERE date IN (SELECT date FROM renamed_date);
DELETE FROM location_region WHERE location_id IN (SELECT id FROM renamed_location)
   OR region_id IN (SELECT id FROM renamed_location);
DELETE FROM location WHERE id IN (SELECT id FROM renamed_location);
UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
  WHERE key = 'data_version'
    AND EXISTS (SELECT 1 FROM renamed_date);
DROP TABLE renamed_location;
DROP TABLE renamed_date;
