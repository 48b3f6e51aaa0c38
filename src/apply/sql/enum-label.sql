-- Whether enum type $1 (a qualified, quoted name) has label $2 (an ALTER TYPE … ADD VALUE that already ran).
SELECT EXISTS (
  SELECT 1 FROM pg_catalog.pg_enum WHERE enumtypid = to_regtype($1::text) AND enumlabel = $2::text
) AS present
