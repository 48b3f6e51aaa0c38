-- Normal, automatic and partition dependencies between user objects (oids at or above FirstNormalObjectId, 16384). Each end
-- is a (catalog, oid, sub-id) triple, which introspection maps to the key of an object it read, dropping the rest.
-- On the referenced end an array type stands for its element type, and a member of an extension for the
-- extension (ext_oid). Edges to schemas are left out: each object's edge to its schema is added from the model.
-- A partition's index attached to its parent's index depends on it ('P'): a key constraint of a partition holds
-- the partitioned index in place, so the partition's constraint goes before that index and comes back after.
SELECT d.classid::regclass::text AS class,
       d.objid AS oid,
       d.objsubid AS sub_id,
       d.refclassid::regclass::text AS ref_class,
       coalesce(el.oid, d.refobjid) AS ref_oid,
       d.refobjsubid AS ref_sub_id,
       x.refobjid AS ext_oid
FROM pg_depend d
LEFT JOIN pg_type t ON d.refclassid = 'pg_type'::regclass AND t.oid = d.refobjid
LEFT JOIN pg_type el ON el.oid = t.typelem AND el.typarray = t.oid
LEFT JOIN pg_depend x
  ON x.classid = d.refclassid AND x.objid = coalesce(el.oid, d.refobjid) AND x.objsubid = 0 AND x.deptype = 'e'
WHERE d.deptype IN ('n', 'a', 'P')
  AND d.objid >= 16384
  AND d.refobjid >= 16384
  AND d.refclassid <> 'pg_namespace'::regclass
