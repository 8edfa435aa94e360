-- A supervision order past its deadline tells its issuer once; the sweeper marks the order when it does, so
-- that each sweep reads only the orders newly due (the partial index), not every open order with a lookup
-- of its events.
ALTER TABLE supervision ADD COLUMN overdue_notified_at timestamptz;

-- Orders already told (before this column existed) keep their first notice time: nobody is told twice.
UPDATE supervision s
SET overdue_notified_at = told.at
FROM (
  SELECT (e.detail->>'supervisionId')::integer AS supervision_id, min(e.at) AS at
  FROM matter_event e
  WHERE e.action = 'supervision_overdue'
  GROUP BY 1
) told
WHERE told.supervision_id = s.id;

CREATE INDEX supervision_overdue_idx ON supervision (deadline)
  WHERE state = 'open' AND overdue_notified_at IS NULL;
-- It replaces the index on all open orders, which only this sweep read.
DROP INDEX supervision_open_idx;
