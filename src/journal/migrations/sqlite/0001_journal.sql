-- The journal of money movements (walletkit). Times are Unix milliseconds
-- from SQLite's clock; read one with datetime(created_at / 1000, 'unixepoch').

-- One row per money call, stored before its first byte is sent.
CREATE TABLE intents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    provider        TEXT NOT NULL,
    operation       TEXT NOT NULL,
    reference       TEXT NOT NULL,
    idempotency_key TEXT,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    body            BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    first_sent_at   INTEGER,
    -- pending and unknown are unfinished; created, rejected, needs_review final.
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'created', 'rejected', 'unknown', 'needs_review')),
    -- created: the status and answer; rejected: the status (if any) and error in detail;
    -- unknown: the error in detail; needs_review: the evidence in detail.
    status          INTEGER,
    answer          BLOB,
    detail          TEXT,
    lease_owner     TEXT,
    lease_until     INTEGER,
    UNIQUE (provider, reference)
);

CREATE INDEX intents_unfinished ON intents (id) WHERE state IN ('pending', 'unknown');

-- Each confirmed notification (callback, webhook) handled, so it is handled once.
CREATE TABLE notifications (
    provider   TEXT NOT NULL,
    key        TEXT NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (provider, key)
);
