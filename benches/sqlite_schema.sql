-- The SQLite baseline of benches/linli.rs: the same records as linli's
-- store, as a plain SQLite application would keep them (one row per record,
-- the timeline as one blob, an audit table, the indexes such an app would
-- add for its lists).
CREATE TABLE workers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    post  TEXT NOT NULL,
    phone TEXT NOT NULL,
    grid  TEXT NOT NULL
);
CREATE TABLE residents (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    phone   TEXT NOT NULL,
    address TEXT NOT NULL,
    grid    TEXT NOT NULL,
    tags    TEXT NOT NULL,
    notes   TEXT NOT NULL
);
CREATE TABLE requests (
    id            INTEGER PRIMARY KEY,
    logged_at     TEXT NOT NULL,
    logged_by     INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    category      TEXT NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    location      TEXT NOT NULL,
    resident_id   INTEGER,
    resident_name TEXT,
    urgency       TEXT NOT NULL,
    status        TEXT NOT NULL,
    assignee      INTEGER,
    due           TEXT NOT NULL,
    satisfaction  TEXT,
    notes         BLOB NOT NULL
);
CREATE INDEX requests_status_due ON requests(status, due);
CREATE INDEX requests_resident ON requests(resident_id, id);
CREATE TABLE audit (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    by      INTEGER,
    kind    TEXT NOT NULL,
    key     INTEGER NOT NULL,
    action  TEXT NOT NULL,
    changes TEXT NOT NULL
);
