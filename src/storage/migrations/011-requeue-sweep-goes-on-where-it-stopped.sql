-- the sweep reads the waiting documents in (time, id) order from where its last pass stopped, instead of
-- marking every document it looked at
DROP INDEX documents_waiting;
CREATE INDEX documents_waiting ON documents ((GREATEST(updated_at, requeued_at)), id) WHERE status IN ('queued', 'processing');
