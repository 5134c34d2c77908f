-- Items: the first table.
CREATE TABLE items (
  id bigserial PRIMARY KEY,
  label text NOT NULL
);
