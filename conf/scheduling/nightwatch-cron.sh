#!/usr/bin/env bash
# Nightwatch from cron (conf/scheduling/crontab.example; docs/scheduling.md): what the Airflow DAG does, in plain shell.
#
#   nightwatch-cron.sh nightly [DAY [--force]]   the night of DAY (default: yesterday, UTC); --force after a
#                                                quality gate (exit 6) when the day is genuine
#   nightwatch-cron.sh maintain [DAY]            the weekly upkeep as of DAY (default: today, UTC)
#
# nightly waits for the input's _SUCCESS markers (up to NIGHTWATCH_WAIT_HOURS, default 18), refuses to start unless
# the day before succeeded, runs the night, and retries only the exit codes worth retrying (below). Every end is
# appended to $NIGHTWATCH_STATE/exits.log as "DAY COMMAND EXIT-CODE TIME"; the check of the day before reads it, so
# run missed or failed days through this script too (nightwatch-cron.sh nightly 2026-11-20). The job's output goes
# to $NIGHTWATCH_STATE/logs/; the only output of this script is one line on failure, which cron mails to MAILTO.
#
# Environment: NIGHTWATCH_HOME (default: this checkout), NIGHTWATCH_STATE (default /var/lib/nightwatch), and
# NIGHTWATCH_PSEUDONYM_KEY, from $NIGHTWATCH_ENV (default /etc/nightwatch/env, readable by this user only) if set.
set -uo pipefail
HOME_DIR="${NIGHTWATCH_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
STATE="${NIGHTWATCH_STATE:-/var/lib/nightwatch}"
ENV_FILE="${NIGHTWATCH_ENV:-/etc/nightwatch/env}"
INPUT_ROOT="s3a://network-exports"   # the input layout of conf/cluster.example.conf: <root>/<dataset>/ds=DAY/
# shellcheck disable=SC1090
[ -r "$ENV_FILE" ] && . "$ENV_FILE"
cd "$HOME_DIR" || exit 1
mkdir -p "$STATE/logs" || exit 1

usage="usage: nightwatch-cron.sh nightly [DAY [--force]] | maintain [DAY]"
what="${1:-}"
force="${3:-}"
case "$what" in
  nightly) day="${2:-$(date -u -d yesterday +%F)}" ;;
  maintain) day="${2:-$(date -u +%F)}" ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
if [ -n "$force" ] && [ "$what $force" != "nightly --force" ]; then
  echo "$usage" >&2; exit 2
fi
log="$STATE/logs/$what-$day.log"

record() { echo "$day $what $1 $(date -u +%FT%TZ)" >> "$STATE/exits.log"; }

# Whether to try again after exit code $1 on try $2 (docs/operations.md#exit-codes):
retry_worth() {
  case "$1" in
    1) [ "$2" -eq 1 ] ;;  # the job failed (bug, cluster, storage): the runbook retries once; twice the same is a bug
    7) true ;;            # day locked by another run, or this run lost its lock: frees when it ends or its lease lapses
    8) true ;;            # storage or metastore unreachable: usually a passing outage
    *) false ;;           # 2 args, 3 input, 4 no valid message, 5 config, 6 quality gate: a retry fails the same way
  esac
}

# Runs the command, up to 4 tries 10 minutes apart while retry_worth; returns its last exit code.
run() {
  local try=1 code
  while :; do
    "$@" >> "$log" 2>&1
    code=$?
    if [ "$code" -eq 0 ] || [ "$try" -ge 4 ] || ! retry_worth "$code" "$try"; then
      return "$code"
    fi
    echo "nightwatch-cron: exit $code on try $try; again in 10 minutes" >> "$log"
    sleep 600
    try=$((try + 1))
  done
}

input_complete() {
  local d
  for d in messages accounts reports; do
    hadoop fs -test -e "$INPUT_ROOT/$d/ds=$day/_SUCCESS" || return 1
  done
}

# 0 when the last recorded night of the day before is a success, or when no night was ever recorded (the first).
previous_done() {
  local prev
  prev="$(date -u -d "$day - 1 day" +%F)"
  [ -f "$STATE/exits.log" ] || return 0
  awk -v p="$prev" '$2 == "nightly" { any = 1 } $1 == p && $2 == "nightly" { c = $3 }
    END { exit (!any || c == "0") ? 0 : 1 }' "$STATE/exits.log"
}

if [ "$what" = maintain ]; then
  run bin/nightwatch maintain --conf conf/cluster.example.conf --as-of "$day"
  code=$?
  record "$code"
  [ "$code" -eq 0 ] || echo "nightwatch: maintain as of $day failed, exit $code; see $log and docs/operations.md" >&2
  exit "$code"
fi

if ! previous_done; then
  echo "nightwatch: not running $day: the night before has not succeeded (see $STATE/exits.log); run it first" >&2
  exit 9
fi
deadline=$(($(date +%s) + ${NIGHTWATCH_WAIT_HOURS:-18} * 3600))
until input_complete; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    record 3
    echo "nightwatch: the input of $day has no _SUCCESS in each of messages/, accounts/, reports/ after waiting" >&2
    exit 3
  fi
  sleep 600
done

# Client mode, so that spark-submit's exit code is the job's own (in YARN cluster mode it is only 0 or 1).
if [ -n "$force" ]; then
  run bin/submit-nightly --properties-file conf/spark-yarn.properties --deploy-mode client -- --date "$day" --conf conf/cluster.example.conf --force
else
  run bin/submit-nightly --properties-file conf/spark-yarn.properties --deploy-mode client -- --date "$day" --conf conf/cluster.example.conf
fi
code=$?
record "$code"
case "$code" in
  0) ;;
  6) echo "nightwatch: QUALITY GATE failed for $day (exit 6); later nights wait for it. Look at the day; if it is" \
       "genuine: $0 nightly $day --force" >&2 ;;
  *) echo "nightwatch: the night of $day failed with exit $code; see $log and docs/operations.md" >&2 ;;
esac
exit "$code"
