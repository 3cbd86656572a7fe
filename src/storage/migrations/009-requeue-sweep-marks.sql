-- when the requeue sweep last queued the document again: it then looks at others first, so a long backlog is
-- covered in turn rather than its oldest rows each time
ALTER TABLE documents ADD COLUMN requeued_at timestamptz;
CREATE INDEX documents_waiting ON documents ((GREATEST(updated_at, requeued_at))) WHERE status IN ('queued', 'processing');
