import { sql, type Kysely } from 'kysely';
import { isPostgres, postgresAppendOnly, postgresDdl } from './dialect';

// Frozen in time: this file must never import application code.

const statements = [
  `CREATE TABLE chapters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    region TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    chapter_id INTEGER REFERENCES chapters(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('chapter_lead','staff','reviewer','admin')),
    PRIMARY KEY (user_id, role)
  ) WITHOUT ROWID`,
  `CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
  )`,
  `CREATE INDEX sessions_user ON sessions(user_id)`,
  `CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    success INTEGER NOT NULL
  )`,
  `CREATE INDEX login_attempts_email ON login_attempts(email, at)`,
  `CREATE INDEX login_attempts_ip ON login_attempts(ip, at)`,
  // Who changed which account or chapter: append-only, like the decision log.
  `CREATE TABLE admin_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    target_user_id INTEGER REFERENCES users(id),
    target_chapter_id INTEGER REFERENCES chapters(id),
    details TEXT NOT NULL DEFAULT '{}',
    at TEXT NOT NULL
  )`,
  `CREATE TRIGGER admin_log_no_update BEFORE UPDATE ON admin_log BEGIN SELECT RAISE(ABORT, 'admin_log is append-only'); END`,
  `CREATE TRIGGER admin_log_no_delete BEFORE DELETE ON admin_log BEGIN SELECT RAISE(ABORT, 'admin_log is append-only'); END`,
  `CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
  )`,
  // Each kind of configuration is a versioned JSON document; a change is a new row.
  `CREATE TABLE config_versions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('values_criteria','positions','risk_matrix','perception_checklist','mou_template')),
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (kind, version)
  )`,
  `CREATE TRIGGER config_versions_no_update BEFORE UPDATE ON config_versions BEGIN SELECT RAISE(ABORT, 'config_versions is append-only'); END`,
  `CREATE TRIGGER config_versions_no_delete BEFORE DELETE ON config_versions BEGIN SELECT RAISE(ABORT, 'config_versions is append-only'); END`,
  `CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    normalized_name TEXT NOT NULL,
    website TEXT,
    country TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    public_positions TEXT NOT NULL DEFAULT '[]',
    ein TEXT,
    registry TEXT,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX partners_normalized ON partners(normalized_name)`,
  `CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    chapter_id INTEGER NOT NULL REFERENCES chapters(id),
    proposer_id INTEGER NOT NULL REFERENCES users(id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    event_title TEXT NOT NULL,
    event_date TEXT NOT NULL,
    event_place TEXT NOT NULL,
    event_description TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('co_listing','co_hosting','speaker','shared_materials')),
    state TEXT NOT NULL CHECK (state IN ('draft','values','agenda','risk','perception','mou','review','approved','rejected','withdrawn','expired')),
    version INTEGER NOT NULL DEFAULT 1,
    workflow TEXT NOT NULL,
    recommend_reject INTEGER NOT NULL DEFAULT 0,
    perception_required INTEGER,
    returned_to TEXT,
    approved_until TEXT,
    previous_proposal_id INTEGER REFERENCES proposals(id),
    last_changed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    decided_at TEXT
  )`,
  `CREATE INDEX proposals_chapter_state ON proposals(chapter_id, state)`,
  `CREATE INDEX proposals_state_submitted ON proposals(state, submitted_at)`,
  `CREATE INDEX proposals_partner ON proposals(partner_id)`,
  `CREATE INDEX proposals_campaign ON proposals(campaign_id)`,
  `CREATE INDEX proposals_approved_until ON proposals(approved_until) WHERE state = 'approved'`,
  `CREATE INDEX proposals_updated ON proposals(updated_at)`,
  // Work in progress on a step: mutable, never part of the record.
  `CREATE TABLE step_drafts (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    saved_by INTEGER NOT NULL REFERENCES users(id),
    saved_at TEXT NOT NULL,
    PRIMARY KEY (proposal_id, step)
  )`,
  `CREATE TABLE decision_records (
    seq INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    chapter_id INTEGER NOT NULL REFERENCES chapters(id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    step TEXT NOT NULL,
    outcome TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    at TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    inputs TEXT NOT NULL,
    config_versions TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    proposal_prev_hash TEXT,
    hash TEXT NOT NULL UNIQUE
  )`,
  `CREATE INDEX decision_records_proposal ON decision_records(proposal_id, seq)`,
  `CREATE INDEX decision_records_partner ON decision_records(partner_id, seq)`,
  `CREATE INDEX decision_records_chapter ON decision_records(chapter_id, seq)`,
  `CREATE INDEX decision_records_campaign ON decision_records(campaign_id, seq)`,
  `CREATE INDEX decision_records_actor ON decision_records(actor_id, seq)`,
  `CREATE INDEX decision_records_step_outcome ON decision_records(step, outcome, seq)`,
  `CREATE INDEX decision_records_at ON decision_records(at)`,
  `CREATE TRIGGER decision_records_no_update BEFORE UPDATE ON decision_records BEGIN SELECT RAISE(ABORT, 'decision_records is append-only'); END`,
  `CREATE TRIGGER decision_records_no_delete BEFORE DELETE ON decision_records BEGIN SELECT RAISE(ABORT, 'decision_records is append-only'); END`,
  // What each submitted step held, in queryable form (the record keeps the snapshot).
  `CREATE TABLE step_submissions (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    step TEXT NOT NULL,
    data TEXT NOT NULL,
    result TEXT NOT NULL,
    outcome TEXT NOT NULL,
    config_versions TEXT NOT NULL,
    submitted_by INTEGER NOT NULL REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    decision_seq INTEGER NOT NULL REFERENCES decision_records(seq)
  )`,
  `CREATE INDEX step_submissions_proposal ON step_submissions(proposal_id, step, id)`,
  `CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    submission_id INTEGER NOT NULL REFERENCES step_submissions(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    normalized_text TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('general','event')),
    classification TEXT NOT NULL CHECK (classification IN ('aligned','compatible','no_position','conflicting','unknown')),
    position_key TEXT,
    positions_version INTEGER NOT NULL,
    classified_by INTEGER REFERENCES users(id),
    classified_at TEXT,
    current INTEGER NOT NULL DEFAULT 1
  )`,
  `CREATE INDEX agenda_items_proposal ON agenda_items(proposal_id) WHERE current = 1`,
  `CREATE INDEX agenda_items_position ON agenda_items(position_key) WHERE current = 1`,
  `CREATE INDEX agenda_items_text ON agenda_items(normalized_text) WHERE current = 1`,
  `CREATE TABLE risk_items (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    submission_id INTEGER NOT NULL REFERENCES step_submissions(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('risk','benefit')),
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    mitigation TEXT,
    residual_likelihood INTEGER CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
    score INTEGER NOT NULL,
    band TEXT NOT NULL,
    residual_score INTEGER,
    residual_band TEXT,
    current INTEGER NOT NULL DEFAULT 1
  )`,
  `CREATE INDEX risk_items_proposal ON risk_items(proposal_id) WHERE current = 1`,
  `CREATE TABLE mou_versions (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    version INTEGER NOT NULL,
    sections TEXT NOT NULL,
    removed_conditions TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (proposal_id, version)
  )`,
  `CREATE TRIGGER mou_versions_no_update BEFORE UPDATE ON mou_versions BEGIN SELECT RAISE(ABORT, 'mou_versions is append-only'); END`,
  `CREATE TABLE mou_views (
    user_id INTEGER NOT NULL REFERENCES users(id),
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    mou_version INTEGER NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (user_id, proposal_id)
  )`,
  `CREATE TABLE inbox (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    decision_seq INTEGER REFERENCES decision_records(seq),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
  )`,
  `CREATE INDEX inbox_user_unread ON inbox(user_id, read_at, id)`,
  `CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    decision_seq INTEGER REFERENCES decision_records(seq),
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at TEXT,
    last_error TEXT
  )`,
  `CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE delivered_at IS NULL`,
  `CREATE TABLE outbox_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at TEXT NOT NULL,
    status INTEGER,
    ok INTEGER NOT NULL,
    error TEXT,
    duration_ms INTEGER NOT NULL
  )`,
  `CREATE INDEX outbox_attempts_outbox ON outbox_attempts(outbox_id)`,
  `CREATE TABLE registry_cache (
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    fetched_at TEXT NOT NULL
  )`,
  `CREATE TABLE screenings (
    id INTEGER PRIMARY KEY,
    proposal_id INTEGER REFERENCES proposals(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    stage TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('clear','hits','error','off')),
    results TEXT NOT NULL DEFAULT '[]',
    error TEXT
  )`,
  `CREATE INDEX screenings_proposal ON screenings(proposal_id, id)`,
  `CREATE TABLE audit_runs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    record_count INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    first_bad_seq INTEGER,
    message TEXT NOT NULL
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of isPostgres(db) ? postgresStatements() : statements) await sql.raw(statement).execute(db);
}

// The same tables on PostgreSQL; the SQLite triggers become PL/pgSQL ones.
function postgresStatements(): string[] {
  return [
    // Words are told apart by the database's character classes (search, case folding): with a C
    // or POSIX LC_CTYPE every non-ASCII character would count as a letter ("partner’s" one word).
    `DO $$ BEGIN
      IF (SELECT pg_encoding_to_char(encoding) <> 'UTF8' OR datctype IN ('C', 'POSIX') FROM pg_database WHERE datname = current_database()) THEN
        RAISE EXCEPTION 'Cosponsor needs a database with UTF8 encoding and a UTF-8 LC_CTYPE (createdb -E UTF8 --locale=C.UTF-8, or en_US.UTF-8)';
      END IF;
    END $$`,
    // Trusted extension: the database owner may create it. users.email compares case-insensitively, as COLLATE NOCASE does.
    'CREATE EXTENSION IF NOT EXISTS citext',
    ...statements
      .filter((s) => !s.startsWith('CREATE TRIGGER'))
      .map((s) =>
        postgresDdl(s).replace(
          // The chain's order is the application's seq (never a database sequence); the key is
          // the UNIQUE(seq) backstop: of two appends of the same seq, exactly one commits.
          /^CREATE TABLE decision_records \(\n {4}seq BIGINT PRIMARY KEY,/,
          'CREATE TABLE decision_records (\n    seq BIGINT CONSTRAINT decision_records_seq_unique PRIMARY KEY CHECK (seq > 0),',
        ),
      ),
    ...postgresAppendOnly('admin_log', ['UPDATE', 'DELETE', 'TRUNCATE']),
    ...postgresAppendOnly('config_versions', ['UPDATE', 'DELETE', 'TRUNCATE']),
    ...postgresAppendOnly('decision_records', ['UPDATE', 'DELETE', 'TRUNCATE']),
    ...postgresAppendOnly('mou_versions', ['UPDATE']),
  ];
}

export async function down(): Promise<void> {
  throw new Error('The initial schema is not reversible: the decision log must not be dropped.');
}
