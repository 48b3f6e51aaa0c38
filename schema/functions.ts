import { fn } from 'keikaku';

/** Keeps `updated_at` current on every UPDATE (used by the tables' `touch_updated_at` triggers). */
export const touchUpdatedAt = fn('touch_updated_at', {
  returns: 'trigger',
  language: 'plpgsql',
  body: 'BEGIN NEW.updated_at := now(); RETURN NEW; END',
});
