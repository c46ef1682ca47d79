-- Share of calls whose signer is not the carrier that handed them over: a transit passing
-- on another provider's PASSporT (normal) or a carrier signing for traffic it did not
-- originate. Over verified calls that entered from a carrier.
SELECT count(*)::INTEGER AS verified_from_carriers,
       count(*) FILTER (WHERE signer_spc <> ingress_carrier)::INTEGER AS signer_not_upstream,
       coalesce(round(count(*) FILTER (WHERE signer_spc <> ingress_carrier) / nullif(count(*), 0), 4), 0)::DOUBLE AS share
FROM read_parquet($files::VARCHAR[], hive_partitioning = false)
WHERE ingress_type = 'carrier' AND signer_spc <> '' AND "day" BETWEEN $from::DATE AND $to::DATE
