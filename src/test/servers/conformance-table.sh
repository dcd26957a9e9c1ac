#!/usr/bin/env bash
# Run the harness (every suite in test-suites/) against real servers on loopback
# and print the Markdown tables of `report compare` over their reports (the
# README's "Conformance of well-known servers"), then each server's failed cases.
#
#   src/test/servers/conformance-table.sh [NAME ...]   (default: all eight, in this order)
#   NAME: postfix exim opensmtpd aiosmtpd-tls sendmail greenmail smtp-server smtp-server-tls
#
# Builds target/smtp-harness.jar when it is missing or older than src/main or
# pom.xml; starts each server with its start-NAME.sh on a free 127.0.0.1 port in
# its own SMTP_PEERS_RUN; runs
#   java -jar target/smtp-harness.jar run --target 127.0.0.1:PORT --report-dir target/conformance/NAME
# (--max-connections 2 for OpenSMTPD: listen backlog 5; --auth-user harness with
# SMTP_HARNESS_AUTH_PASSWORD=harness-test-password for the servers configured with
# that account: exim, aiosmtpd-tls, greenmail, smtp-server, smtp-server-tls); stops
# the server again.
# A run exiting 1 (failed cases) is expected and fine; exit 2/3 or a missing
# summary.json is reported in the table (and makes this script exit 1).
# stdout: the Markdown; stderr: progress. Needs root and python3.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); . "$HERE/common.sh"
need_root
need_cmd python3
need_cmd java
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$ROOT"
SERVERS=("$@"); [ ${#SERVERS[@]} -gt 0 ] || SERVERS=(postfix exim opensmtpd aiosmtpd-tls sendmail greenmail smtp-server smtp-server-tls)
for s in "${SERVERS[@]}"; do
  case "$s" in postfix|exim|opensmtpd|sendmail|aiosmtpd-tls|greenmail|smtp-server|smtp-server-tls) ;;
    *) die "unknown server '$s' (postfix, exim, opensmtpd, sendmail, aiosmtpd-tls, greenmail, smtp-server, smtp-server-tls)";; esac
done
JAR=target/smtp-harness.jar
if [ ! -f "$JAR" ] || [ -n "$(find src/main pom.xml -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  need_cmd mvn maven
  log "building $JAR (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package </dev/null >&2 || die "mvn package failed"
fi

RUN_BASE=$(mktemp -d /tmp/smtp-harness-table-XXXXXX)
chmod 755 "$RUN_BASE"
STARTED=()
cleanup() {
  local s
  for s in "${STARTED[@]}"; do [ -n "$s" ] || continue; SMTP_PEERS_RUN="$RUN_BASE/$s" bash "$HERE/stop-$s.sh" </dev/null >/dev/null 2>&1 || true; done
  rm -rf "$RUN_BASE"
}
trap cleanup EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

ROWS="$RUN_BASE/rows.tsv"; : > "$ROWS"
status=0
for s in "${SERVERS[@]}"; do
  var=$(tr a-z- A-Z_ <<<"$s")_PORT
  port=$(free_port)
  run="$RUN_BASE/$s"; mkdir -p "$run"
  log "$s: starting on 127.0.0.1:$port"
  if ! env SMTP_PEERS_RUN="$run" "$var=$port" bash "$HERE/start-$s.sh" </dev/null >/dev/null; then
    printf '%s\t%s\t%s\t%s\n' "$s" "(did not start)" "" "start failed" >> "$ROWS"; status=1; continue
  fi
  STARTED+=("$s")
  version=$(cat "$run/$s/version" 2>/dev/null || echo "$s")
  report="target/conformance/$s"
  rm -rf "$report"
  conns=4; [ "$s" = opensmtpd ] && conns=2
  auth=(); case "$s" in exim|aiosmtpd-tls|greenmail|smtp-server|smtp-server-tls) auth=(--auth-user harness);; esac
  set +e
  SMTP_HARNESS_AUTH_PASSWORD=harness-test-password \
    java -jar "$JAR" run --target "127.0.0.1:$port" --report-dir "$report" --max-connections "$conns" "${auth[@]}" </dev/null >"$run/run.out" 2>&1
  rc=$?
  set -e
  log "$s: harness exited $rc (report $report)"
  note=""
  case "$rc" in 0|1) ;; *) note="harness exited $rc: $(tail -1 "$run/run.out")"; status=1;; esac
  [ -f "$report/summary.json" ] || { note="${note:-no summary.json}"; status=1; }
  printf '%s\t%s\t%s\t%s\n' "$s" "$version" "$report/summary.json" "$note" >> "$ROWS"
  env SMTP_PEERS_RUN="$run" "$var=$port" bash "$HERE/stop-$s.sh" </dev/null >/dev/null 2>&1 || log "$s: stop failed"
  STARTED=("${STARTED[@]/$s}")
done

# the tables: report compare over every report that was written, columns named as the servers
COMPARED=()
while IFS=$'\t' read -r name version path note; do
  if [ -n "$path" ] && [ -f "$path" ]; then COMPARED+=("$name=$(dirname "$path")"); else log "$name: left out ($note)"; fi
done < "$ROWS"
[ ${#COMPARED[@]} -ge 2 ] || die "fewer than two servers have a report to compare"
java -jar "$JAR" report compare "${COMPARED[@]}" --out target/conformance/compare >&2 || die "report compare failed"
cat target/conformance/compare/compare.md

python3 - "$ROWS" <<'PY'
import json, re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
def md(text):
    return str(text).replace("|", "\\|").replace("\n", " ")
details = []
for name, version, path, note in rows:
    try:
        summary = json.load(open(path)) if path else None
    except OSError:
        summary = None
    if summary is None:
        continue
    failed = [c for c in summary.get("cases", []) if c.get("status") == "failed"]
    details.append((name, version, failed))
for name, version, failed in details:
    print()
    print(f"**{name}** ({version}): {len(failed)} failed")
    for c in failed:
        rule = next((f.get("ruleId") or f.get("rule") for f in c.get("findings", [])
                     if (f.get("severity") or "").lower() in ("must", "failed", "fail")), None)
        msg = c.get("message", "")
        if rule is None and ":" in msg:
            rule = msg.split(":", 1)[0]
        if rule and msg.startswith(rule + ": "):
            msg = msg[len(rule) + 2:]
        # long probes (512-octet lines) would swamp the table: "xxxx…" -> "x×508"
        msg = re.sub(r"(.)\1{19,}", lambda m: f"{m.group(1)}×{len(m.group(0))}", msg)
        if len(msg) > 300:
            msg = msg[:300] + "…"
        print(f"- `{c.get('suite', '')}/{c.get('id', '')}` — {rule or '?'}: {md(msg)}")
PY
exit $status
