-- 0001_cases: individual case reports (issue 16) in cases.db, a database
-- of their own beside covid.db so that the intake and the daily ingest
-- never wait for each other's locks.

-- One row per case report, as a writer sent it. name is personal data: it
-- leaves this database only through GET /api/v1/cases with a reader token.
CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    location     TEXT NOT NULL,
    age          INTEGER NOT NULL CHECK (age BETWEEN 0 AND 120),
    infectedtype TEXT NOT NULL,
    state        TEXT NOT NULL,
    reported_at  TEXT,                 -- "YYYY-MM-DDTHH:MM:SSZ", or NULL
    received_at  TEXT NOT NULL,        -- the server's clock at the commit
    writer       TEXT NOT NULL         -- the token's name
);

-- What /live shows, kept up to date by the trigger below in the same
-- transaction as the rows, so the figures are O(1) reads whatever the
-- table's size. dim: 'total', 'location', 'age', 'infectedtype', 'state'.
CREATE TABLE live_counts (
    dim TEXT NOT NULL,
    key TEXT NOT NULL,
    n   INTEGER NOT NULL,
    PRIMARY KEY (dim, key)
) WITHOUT ROWID;
CREATE INDEX live_counts_top ON live_counts (dim, n DESC);

CREATE TRIGGER cases_live_counts AFTER INSERT ON cases BEGIN
    INSERT INTO live_counts VALUES ('total', '', 1)
        ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
    INSERT INTO live_counts VALUES ('location', NEW.location, 1)
        ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
    INSERT INTO live_counts VALUES ('age', CAST(min(NEW.age / 10, 8) AS TEXT), 1)
        ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
    INSERT INTO live_counts VALUES ('infectedtype', NEW.infectedtype, 1)
        ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
    INSERT INTO live_counts VALUES ('state', NEW.state, 1)
        ON CONFLICT (dim, key) DO UPDATE SET n = n + 1;
END;

-- Idempotency-Key: a retried POST with the same key from the same writer
-- gets the first answer's ids again and stores nothing. body_sha256 tells a
-- retry from a different body sent under a key already used (a 409).
CREATE TABLE idempotency (
    writer      TEXT NOT NULL,
    key         TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    ids         TEXT NOT NULL,          -- the JSON array the 201 carried
    created_at  TEXT NOT NULL,
    PRIMARY KEY (writer, key)
) WITHOUT ROWID;
