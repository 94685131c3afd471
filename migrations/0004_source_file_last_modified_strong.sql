-- 0004_source_file_last_modified_strong: whether a date's stored
-- Last-Modified may go back as If-Modified-Since.
--
-- A Last-Modified has whole seconds: a file replaced within the same second
-- keeps it, and a server answers 304 to a file it no longer has. RFC 9110,
-- 8.8.2.2: it is a strong validator only when it is at least 60 seconds
-- before the Date of the response that carried it. The ingest records which
-- (src/fetch.c, fetch_last_modified_strong) and sends only a strong one; a
-- weak one stays for the record, and the next full fetch of the same bytes
-- marks it strong when it has become so.
--
-- Rows from before this migration are 0: nobody checked them. Their next
-- request sends the ETag alone (when there is one) or is a full fetch,
-- 'unchanged' by SHA-256 when the bytes are the same, after which the flag
-- is known. A file:// source never sends validators (its bytes are compared),
-- so its rows stay 0.
ALTER TABLE source_file ADD COLUMN last_modified_strong INTEGER NOT NULL
  DEFAULT 0 CHECK (last_modified_strong IN (0, 1));
