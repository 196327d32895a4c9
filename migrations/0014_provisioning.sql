-- Provisioning: invitations (how every person, the first operator included, gets an account) and
-- workspace API tokens (how the events platform pushes its data and asks for reports).

-- An invitation to a workspace with a role, and/or to operate the platform. It is accepted once,
-- before expires_at; a newer invitation of the same email to the same workspace revokes it.
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE,
  workspace_id TEXT REFERENCES workspaces(id),
  role TEXT CHECK (role IN ('admin', 'organizer', 'viewer', 'staff')),
  make_operator INTEGER NOT NULL DEFAULT 0 CHECK (make_operator IN (0, 1)),
  invited_by TEXT REFERENCES users(id),     -- NULL: the operator command
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  accepted_user_id TEXT,                    -- the account it was accepted as (created then, or existing)
  revoked_at INTEGER,
  CHECK ((workspace_id IS NULL) = (role IS NULL)),
  CHECK (workspace_id IS NOT NULL OR make_operator = 1)
);
CREATE INDEX invitations_email ON invitations(email, workspace_id);
CREATE INDEX invitations_workspace ON invitations(workspace_id, created_at);

-- The links of an invitation: one printed by the operator command, one per email the dispatcher
-- sends. Only the SHA-256 of each link's secret is kept; accepting the invitation ends all of them.
CREATE TABLE invitation_links (
  token_hash TEXT PRIMARY KEY,
  invitation_id TEXT NOT NULL REFERENCES invitations(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX invitation_links_invitation ON invitation_links(invitation_id);

-- A workspace API token: `vrt_<id>_<secret>`, shown once; only the SHA-256 of the secret is kept.
-- It acts with `role` in its workspace only, as the principal user `user_id` (a users row that
-- cannot sign in and belongs to no workspace), so the report jobs it asks for have a requester.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  user_id TEXT NOT NULL UNIQUE REFERENCES users(id),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'organizer', 'viewer')),
  secret_hash TEXT NOT NULL,
  created_by TEXT REFERENCES users(id),     -- NULL: the operator command
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER,
  revoked_by TEXT
);
CREATE INDEX api_tokens_workspace ON api_tokens(workspace_id, created_at);
