/**
 * Ingest settings from the environment (README "Configuration").
 * TRACEHOP_HOT_DAYS: the hot window, 45 days by carrier policy (DESIGN.md "Storage rules").
 * TRACEHOP_INGEST_MEMORY: DuckDB memory_limit for one ingest; the sort spills past it
 * (DUCKDB-NOTES.md: an unbounded sorted COPY of 10M rows peaked at 4.4 GB RSS).
 */
export const hotWindowDays = (): number => {
  const v = Number(process.env['TRACEHOP_HOT_DAYS'] ?? 45);
  return Number.isInteger(v) && v > 0 ? v : 45;
};

export const ingestMemoryLimit = (): string => process.env['TRACEHOP_INGEST_MEMORY'] ?? '500MB';
