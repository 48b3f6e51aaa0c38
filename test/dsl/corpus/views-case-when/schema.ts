// Corpus case: sqldef/tests_views/CreateViewWithCaseWhen
import { jsonb, sql, table, text, view } from '../../../../src/index.js';

export const hoge = table('hoge', {
  amount: text(),
  hogeType: text(),
  payload: jsonb(),
});

export const hogeView = view('hoge_view', sql`
select
  amount::numeric(10,2) as amount_num1,
  (jsonb_extract_path_text(payload, 'amount'))::numeric(10,2) as amount_num2,
  (case hoge_type when 'hoge' then jsonb_extract_path_text(payload, 'hoge', 'amount') end)::numeric(10,2) as amount_num3,
  (to_timestamp(jsonb_extract_path_text(payload, 'created')::bigint)) as created,
  (cast(to_timestamp(jsonb_extract_path_text(payload, 'created')::bigint) as date)) as created_date
from ${hoge}`);
