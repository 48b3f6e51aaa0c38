import { extension } from 'keikaku';

/** Trigram search on names of recipients and staff. */
export const pgTrgm = extension('pg_trgm');
