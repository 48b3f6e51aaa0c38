#!/bin/sh
# A second PostgreSQL cluster for test/db/require-auth.test.ts: roles that authenticate with `password`
# (clear text), `md5` and `scram-sha-256`, one that may connect over SSL only, and SSL on (self-signed).
# Debian/Ubuntu postgresql-common, as root. Remove it with: pg_dropcluster --stop 15 kksecrets
# Then: KEIKAKU_TEST_AUTH_PORT=5499 npx vitest run --config test/vitest.config.ts test/db/require-auth.test.ts
set -eu
VERSION=${VERSION:-15}
PORT=${KEIKAKU_TEST_AUTH_PORT:-5499}
pg_createcluster "$VERSION" kksecrets -p "$PORT"
DATA=/var/lib/postgresql/$VERSION/kksecrets
CONF=/etc/postgresql/$VERSION/kksecrets
cat > "$CONF/pg_hba.conf" <<'HBA'
local     all  postgres                 peer
host      all  postgres    127.0.0.1/32 trust
host      all  kk_clear    127.0.0.1/32 password
host      all  kk_md5      127.0.0.1/32 md5
host      all  kk_scram    127.0.0.1/32 scram-sha-256
hostnossl all  kk_sslonly  127.0.0.1/32 reject
host      all  kk_sslonly  127.0.0.1/32 scram-sha-256
HBA
openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" -keyout "$DATA/server.key" -out "$DATA/server.crt" 2>/dev/null
chown postgres:postgres "$DATA/server.key" "$DATA/server.crt"
chmod 600 "$DATA/server.key"
printf "ssl = on\nssl_cert_file = '%s/server.crt'\nssl_key_file = '%s/server.key'\n" "$DATA" "$DATA" >> "$CONF/postgresql.conf"
pg_ctlcluster "$VERSION" kksecrets start
psql -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 <<'SQL'
SET password_encryption = 'scram-sha-256';
CREATE ROLE kk_clear LOGIN PASSWORD 'kk-secret-pw';
CREATE ROLE kk_scram LOGIN PASSWORD 'kk-secret-pw';
CREATE ROLE kk_sslonly LOGIN PASSWORD 'kk-secret-pw';
-- an md5 hash, so that the server asks for md5 (with a SCRAM verifier it would ask for SCRAM instead)
SET password_encryption = 'md5';
CREATE ROLE kk_md5 LOGIN PASSWORD 'kk-secret-pw';
SQL
