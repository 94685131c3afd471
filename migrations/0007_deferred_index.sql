-- 0007_deferred_index: the per-place indexes a first load builds at its end.
--
-- Loading JHU's whole history into an empty database row by row keeps two
-- per-place indexes (daily_report_location, region_daily_location) in order
-- as it goes: every date touches one index page per place, about 4,000
-- pages, read and written again for each batch. A first load (the store's
-- bulk load, src/store/store_bulk.c) drops them instead, appends the rows
-- to the date-ordered tables, and builds each index once, sorted, at its
-- end: the same database, in well under half the time.
--
-- While such a load runs, the definitions it dropped wait here, written in
-- the transaction that dropped them; the load's end builds them and
-- empties the table. If the load is killed, whoever opens the store next
-- builds them (store_open): a database is never left without them for
-- longer than a load. Readers meanwhile get the same answers, slower.
CREATE TABLE deferred_index (
  name TEXT PRIMARY KEY,
  sql  TEXT NOT NULL
);
