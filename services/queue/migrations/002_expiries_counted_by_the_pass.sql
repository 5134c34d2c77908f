-- Tokens ended by the expire endpoint (after a payment) whose end the line's counters do not
-- show yet. The admission pass, which holds the line lock anyway, folds them in; the endpoint
-- itself then never waits for the line lock, so payments do not queue behind one another.
CREATE TABLE uncounted_expiries (
  token      text PRIMARY KEY REFERENCES tokens (token),
  was_active boolean NOT NULL
);
