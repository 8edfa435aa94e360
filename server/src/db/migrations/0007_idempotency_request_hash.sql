-- An Idempotency-Key answers only the request it was first used with: the key keeps a hash of that request
-- (the body's canonical JSON, or an upload's bytes), and a reuse with another request is refused with 400.
-- Rows from before this column have no hash and are answered as before.
ALTER TABLE idempotency_key ADD COLUMN request_hash text;

-- Keys are kept for a retention period (lib/idempotency.ts) and then deleted by a sweep that reads only the
-- expired rows.
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
