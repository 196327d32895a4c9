-- Failed sign-ins per key (an email, or a client address) in the current window.
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);
