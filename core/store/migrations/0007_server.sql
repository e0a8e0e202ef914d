-- No schema change: the server's state (users, keys, the event log) is in 0006. The number
-- stays so that migrations run 1..N without gaps.
SELECT 1;
