#!/usr/bin/env bash
# The whole sqldef acceptance corpus on a real server of each given major, one major at a time:
#
#   bash test/support/corpus-majors.sh 13 14 15 16 17 18 [-- run.py options, e.g. --every 8]
#
# Each major: a server started from the @embedded-postgres devDependencies (test/support/start-server.ts), then
# shared/acceptance/run.py with PGHOST/PGPORT pointing at it, then the server is stopped. Results go to
# $KEIKAKU_CORPUS_OUT (default /tmp/keikaku-corpus)/pg<N>.log and pg<N>.jsonl (one JSON result per case);
# `KEIKAKU_CORPUS_CMD` replaces the CLI (default `node bin/keikaku.js`, so run `npm run build` first).
# The summary line per major is the last line of each log ('N passed, N failed').
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="$(cd "$ROOT/.." && pwd)/shared"
OUT="${KEIKAKU_CORPUS_OUT:-/tmp/keikaku-corpus}"
CMD="${KEIKAKU_CORPUS_CMD:-node bin/keikaku.js}"
majors=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do majors+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
mkdir -p "$OUT"
cd "$ROOT"
for major in "${majors[@]}"; do
  fifo="$(mktemp -u)"; mkfifo "$fifo"
  node --import tsx test/support/start-server.ts --env "$major" > "$fifo" 2>&1 &
  server=$!
  port=""
  while read -r line; do
    case "$line" in
      *PGPORT=*) port="$(sed -E 's/.*PGPORT=([0-9]+).*/\1/' <<<"$line")" ;;
      ready) break ;;
      *) echo "pg$major: $line" >&2 ;;
    esac
  done < "$fifo"
  rm -f "$fifo"
  if [ -z "$port" ]; then echo "pg$major: the server did not start" >&2; kill "$server" 2>/dev/null; continue; fi
  t0=$(date +%s)
  PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres python3 "$SHARED/acceptance/run.py" \
    --corpus "$SHARED/acceptance/corpus/sqldef.json" --cmd "$CMD" \
    --report "$OUT/pg$major.jsonl" --show-failures 1000 "$@" > "$OUT/pg$major.log" 2>&1 < /dev/null
  echo "pg$major: $(tail -n 1 "$OUT/pg$major.log") in $(( $(date +%s) - t0 )) s"
  kill -TERM "$server"; wait "$server" 2>/dev/null
done
