-- The facts of a demand that decide an export: status, legal process, protective order, scope.
SELECT id, status, legal_process, target_numbers, date_from, date_to,
       coalesce(protective_order_sha256, '') <> '' AS protective_order_on_file
FROM demands WHERE id = $id
