-- Development and test builds only: a pause before each chunk, so the browser suite can cancel a
-- job while it is really running (demo exports otherwise finish in well under a second).
ALTER TABLE dev_clock ADD COLUMN chunk_delay_ms INTEGER NOT NULL DEFAULT 0;
