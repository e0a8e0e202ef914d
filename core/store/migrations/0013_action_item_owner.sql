-- An action item's owner (who does it: a person or a team, in words) and due date (an ISO
-- date, YYYY-MM-DD); an accepted item needs both (core/ops/analysis_items.py).
ALTER TABLE action_items ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE action_items ADD COLUMN due_date TEXT;
