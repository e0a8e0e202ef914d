-- reserved for the change that fills it (migrations are numbered without gaps)
SELECT 1;
