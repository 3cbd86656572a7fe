-- listings are per organisation (documents_org_created) and the requeue sweep has documents_waiting: these two
-- were only written, on every submission and every change of status
DROP INDEX IF EXISTS documents_status;
DROP INDEX IF EXISTS documents_created;
