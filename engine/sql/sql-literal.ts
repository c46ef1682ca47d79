/**
 * A SQL string literal for a value tracehop made itself (a file path under the data
 * directory, for `COPY ... TO`, which takes no bound parameter). Never for request input:
 * values from users are bound as `$name` parameters.
 */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
