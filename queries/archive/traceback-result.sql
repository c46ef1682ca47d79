-- One result of a trace-back request (a single tuple is index 0): an archive job may be
-- made for a result that was archive_required.
SELECT result FROM traceback_results WHERE request_id = $id AND idx = $i
