// Corpus case: sqldef/tests_views/MaterializedViewWithRecursiveCTE
import { materializedView } from '../../../../src/index.js';

export const numbers = materializedView('numbers', `
WITH RECURSIVE cte AS (
  SELECT 1 AS n
  UNION ALL
  SELECT cte_1.n + 1
  FROM cte cte_1
  WHERE cte_1.n < 100
)
SELECT cte.n
FROM cte`);
