-- One durable INSERT per transaction (autocommit: each statement commits and waits for fsync).
\set place random(1, 1000000000)
INSERT INTO bench.insert_rows (user_id, place, status) VALUES (gen_random_uuid(), :place, 'WAITING');
