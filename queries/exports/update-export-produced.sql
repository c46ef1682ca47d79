-- An approved export whose files and signed manifest are written.
UPDATE exports SET status = 'produced', produced_at = $at::TIMESTAMPTZ, download_expires_at = $expires::TIMESTAMPTZ,
       rows_exported = $rows, files = $files, manifest = $manifest, updated_at = $at::TIMESTAMPTZ
WHERE id = $id AND status = 'approved'
