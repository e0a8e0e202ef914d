-- No schema change: access control (deny by default, roles, contact policies, key locations)
-- needed none. The number stays so that migrations run 1..N without gaps.
SELECT 1;
