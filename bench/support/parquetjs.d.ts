// parquetjs ships no types; the benchmark uses it only as the comparison baseline.
declare module 'parquetjs';
