-- Rejected rows, in file order, with the line, the text as read and the reason code.
COPY (
  SELECT $file AS file, src_line AS line, src_raw AS raw, reject_reason AS reason, reject_detail AS detail
  FROM th_stage WHERE reject_reason IS NOT NULL ORDER BY src_line
) TO {{out}} (FORMAT json)
