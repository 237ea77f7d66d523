// Migration 1: the tables of the whole product. Each column says what it holds; secrets are only ever
// stored hashed, and nothing here holds a code, password or token in clear.
export const SCHEMA_V1 = `
-- A registered natural person (seed 2). One account per identity; login name and phone unique.
CREATE TABLE people (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL,        -- as on the ID document, Unicode NFC (rare characters included)
  id_type             text NOT NULL,        -- one of ID_TYPES (shared/rules), e.g. 居民身份证
  id_number           text NOT NULL,        -- as normalized by checkIdNumber (upper case)
  nationality         text,                 -- typed in the app; null when not asked (web portal)
  login_name          text NOT NULL,        -- case-sensitive (seed 2.1: 字母需区分大小写)
  phone               text NOT NULL,        -- mainland mobile, verified by SMS at registration
  password_hash       text NOT NULL,        -- argon2id PHC string
  password_changed_at timestamptz NOT NULL,
  household_region    text,                 -- 户籍所在地, GB/T 2260 6-digit code; null if not given (app)
  agreement_version   text NOT NULL,        -- the user agreement version accepted (同意并继续)
  registered_via      text NOT NULL CHECK (registered_via IN ('hall_code', 'face')),
  created_at          timestamptz NOT NULL,
  CONSTRAINT people_identity_key UNIQUE (id_type, id_number),
  CONSTRAINT people_login_name_key UNIQUE (login_name),
  CONSTRAINT people_phone_key UNIQUE (phone)
);
-- Login by ID number (seed 1.1) looks the number up without its type.
CREATE INDEX people_id_number_idx ON people (id_number);

-- A hall registration code (大厅注册码) issued at the tax hall, bound to the identity shown there.
CREATE TABLE hall_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code_hash   text NOT NULL,                -- hex SHA-256 of (normalized code, id type, id number)
  name        text NOT NULL,                -- the bound identity, as shown at the hall
  id_type     text NOT NULL,
  id_number   text NOT NULL,
  nationality text,
  issued_by   text NOT NULL,                -- hall workstation / operator
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,         -- seed 2: 注册码有效期7天
  tries       integer NOT NULL DEFAULT 0,   -- wrong attempts against this code
  used_at     timestamptz,                  -- set in the transaction that creates the account
  used_by     uuid REFERENCES people (id),
  voided_at   timestamptz,
  void_reason text CHECK (void_reason IN ('reissued', 'tries'))
);
CREATE INDEX hall_codes_identity_idx ON hall_codes (id_type, id_number);
-- At most one live (unused, not voided) code per identity: a new one voids the old.
CREATE UNIQUE INDEX hall_codes_one_live_key ON hall_codes (id_type, id_number)
  WHERE used_at IS NULL AND voided_at IS NULL;

-- A registration in progress: identity verified (hall code or face), account not yet created.
CREATE TABLE registrations (
  token_hash        text PRIMARY KEY,       -- hex SHA-256 of the registration token
  via               text NOT NULL CHECK (via IN ('hall_code', 'face')),
  channel           text NOT NULL CHECK (channel IN ('portal', 'app')),
  hall_code_id      uuid REFERENCES hall_codes (id),
  name              text NOT NULL,
  id_type           text NOT NULL,
  id_number         text NOT NULL,
  nationality       text,
  agreement_version text NOT NULL,
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  completed_at      timestamptz,
  person_id         uuid REFERENCES people (id)
);

-- SMS verification codes. purpose: 'register' | 'reset_password' | 'reset_declaration_password' | ...
CREATE TABLE sms_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone      text NOT NULL,
  purpose    text NOT NULL,
  code_hash  text NOT NULL,                 -- hex SHA-256 of (phone, purpose, code)
  sent_at    timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  tries      integer NOT NULL DEFAULT 0,
  used_at    timestamptz
);
CREATE INDEX sms_codes_phone_idx ON sms_codes (phone, purpose, sent_at DESC);

-- A withholding company (扣缴单位). Legal rep and finance manager are kept by identity, so they may
-- register after the company was added at the hall.
CREATE TABLE companies (
  tax_id                          text PRIMARY KEY, -- 18-character unified social credit code
  name                            text NOT NULL,
  legal_rep_id_type               text NOT NULL,
  legal_rep_id_number             text NOT NULL,
  finance_manager_id_type         text,
  finance_manager_id_number       text,
  declaration_password_hash       text NOT NULL,    -- argon2id (申报密码)
  declaration_password_changed_at timestamptz NOT NULL,
  region_local                    boolean NOT NULL DEFAULT false, -- 本市单位: CA offered until CA_CUTOFF
  created_at                      timestamptz NOT NULL
);

-- A handler's company list (added once by tax ID + declaration password, seed 1.3).
CREATE TABLE company_bindings (
  person_id  uuid NOT NULL REFERENCES people (id),
  tax_id     text NOT NULL REFERENCES companies (tax_id),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, tax_id)
);

-- Tax-handling authorizations (办税授权) from the legal representative to a handler.
CREATE TABLE authorizations (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tax_id            text NOT NULL REFERENCES companies (tax_id),
  handler_person_id uuid NOT NULL REFERENCES people (id),
  granted_by        uuid NOT NULL REFERENCES people (id),
  granted_at        timestamptz NOT NULL,
  revoked_at        timestamptz
);
CREATE UNIQUE INDEX authorizations_active_key ON authorizations (tax_id, handler_person_id)
  WHERE revoked_at IS NULL;

-- Wrong-password counters and locks (seed 1.1 / 1.3: 5 wrong → 120 min). No row = no failures.
CREATE TABLE lockouts (
  subject_kind text NOT NULL CHECK (subject_kind IN ('password', 'declaration')),
  subject_id   text NOT NULL,               -- people.id for 'password', companies.tax_id for 'declaration'
  failures     integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (subject_kind, subject_id)
);

-- Login sessions of the client, the phone app and the portal.
CREATE TABLE sessions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash   text NOT NULL UNIQUE,        -- hex SHA-256 of the session token
  person_id    uuid NOT NULL REFERENCES people (id),
  kind         text NOT NULL CHECK (kind IN ('client', 'app', 'portal')),
  tax_id       text REFERENCES companies (tax_id), -- the company entered, once verified
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  end_reason   text                         -- SessionEndReason (shared/protocol/login.ts)
);
CREATE INDEX sessions_person_live_idx ON sessions (person_id) WHERE ended_at IS NULL;

-- What happened, by whom, for operators. subject is masked; detail never holds a secret.
CREATE TABLE audit_log (
  id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      timestamptz NOT NULL,
  node    text NOT NULL,                    -- hub node id, or 'hall-cli'
  actor   text NOT NULL,                    -- 'hall:<operator>', 'ip:<address>', 'person:<uuid>'
  action  text NOT NULL,                    -- e.g. register.complete, hall.issue_code
  subject text,                             -- masked: 居民身份证 1101**********4514, 138****5678
  outcome text NOT NULL,                    -- 'ok' or the error code answered
  detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
`;

// Migration 2: what a resumed client session needs to say again (`session` and `company.entered`).
// Session token hashes are SHA-256 in base64url (server/login/token.ts), not hex as migration 1 says.
export const SCHEMA_V2 = `
ALTER TABLE sessions ADD COLUMN login_method text CHECK (login_method IN ('password', 'qr'));
ALTER TABLE sessions ADD COLUMN company_via text
  CHECK (company_via IN ('declaration_password', 'authorization', 'ca'));
-- A handler's authorizations, for the company list.
CREATE INDEX authorizations_handler_idx ON authorizations (handler_person_id) WHERE revoked_at IS NULL;
`;

// Migration 3: 办税记录 reads a company's audit rows newest first, a page at a time.
export const SCHEMA_V3 = `
CREATE INDEX audit_log_subject_at_idx ON audit_log (subject, at DESC, id DESC);
`;
