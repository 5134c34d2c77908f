-- Embedding must keep every byte: quotes ' " backslash \ raw-string end )" )sql" tabs	and UTF-8 é ✓
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL DEFAULT E'it''s a \\ "note"');
CREATE FUNCTION note_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM notes $$;
