-- The journal of money movements (walletkit), in its own schema `walletkit`
-- (which also holds this migrator's _sqlx_migrations, apart from the
-- application's). Times come from the database's clock.

-- One row per money call, stored before its first byte is sent.
CREATE TABLE walletkit.intents (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider        TEXT NOT NULL,
    operation       TEXT NOT NULL,
    reference       TEXT NOT NULL,
    idempotency_key TEXT,
    method          TEXT NOT NULL,
    path            TEXT NOT NULL,
    body            BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    first_sent_at   TIMESTAMPTZ,
    -- pending and unknown are unfinished; created, rejected, needs_review final.
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'created', 'rejected', 'unknown', 'needs_review')),
    -- created: the status and answer; rejected: the status (if any) and error in detail;
    -- unknown: the error in detail; needs_review: the evidence in detail.
    status          INTEGER,
    answer          BYTEA,
    detail          TEXT,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    UNIQUE (provider, reference)
);

CREATE INDEX intents_unfinished ON walletkit.intents (id) WHERE state IN ('pending', 'unknown');

-- Each confirmed notification (callback, webhook) handled, so it is handled once.
CREATE TABLE walletkit.notifications (
    provider   TEXT NOT NULL,
    key        TEXT NOT NULL,
    handled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, key)
);
