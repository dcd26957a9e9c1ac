#!/usr/bin/env bash
# Benchmarks of smtp-harness side by side with the tools people use today, in one run on one
# machine, reported as ratios (shared machines are noisy: absolute times say little).
#
#   bench/run.sh            all rows; writes bench/RESULTS.md
#   BENCH_QUICK=1 bench/run.sh   fewer sessions and a 20 s fuzz run, for a smoke check
#
# Rows: (1) full sessions/s against postfix's smtp-sink, our `load` vs smtp-source, at 1, 8 and 32
# concurrent sessions; (2) the RFC 5321 core suite against a private postfix, our `run` vs one swaks
# session per case; (3) `run` against the embedded server, end to end; (4) peak RSS of a 60 s fuzz
# run and whether it grows; (4b) fuzz dialogues/s on one connection and on the default number; (5) JMH micro-benchmarks of the per-reply hot path.
# Needs root (postfix, smtp-sink -u), Debian packages postfix and swaks (installed when missing),
# Java 17, Maven, python3. Everything listens on 127.0.0.1 only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
QUICK=${BENCH_QUICK:-}
SESSIONS=${BENCH_SESSIONS:-$([ -n "$QUICK" ] && echo 600 || echo 3000)}
FUZZ_SECONDS=${BENCH_FUZZ_SECONDS:-$([ -n "$QUICK" ] && echo 20 || echo 60)}
ROUNDS=${BENCH_ROUNDS:-3}
WORK=$(mktemp -d /tmp/smtp-harness-bench.XXXXXX)
chmod 755 "$WORK"   # postfix runs as its own user below it
export SMTP_PEERS_RUN="$WORK/peers"
RESULTS="$ROOT/bench/RESULTS.md"
ROWS="$WORK/rows.md"
log() { echo "[bench] $*" >&2; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }

# --- packages -------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "run as root (starts postfix and smtp-sink, installs Debian packages)"
missing=()
command -v smtp-sink >/dev/null && command -v smtp-source >/dev/null || missing+=(postfix)
command -v swaks >/dev/null || missing+=(swaks)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed; install them by hand"
fi
command -v java >/dev/null || die "java not found (Java 17 needed)"
command -v mvn >/dev/null || die "mvn not found (Apache Maven needed)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
median() { python3 -c 'import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1])/float(sys.argv[2]):.2f}")' "$1" "$2"; }
# sessions/s from the summary line of `load` ("load: N sessions in S s: R sessions/s; ...")
load_rate() { sed -n 's/^load: [0-9]* sessions in [0-9.]* s: \([0-9.]*\) sessions\/s.*/\1/p' <<<"$1"; }

SINK_PID=""
cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  "$ROOT/src/test/servers/stop-postfix.sh" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- build ----------------------------------------------------------------------------------
log "building the harness and the benchmarks"
mvn -q -B -DskipTests install >/dev/null
mvn -q -B -f bench/pom.xml package >/dev/null
JAR="$ROOT/target/smtp-harness.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"

# --- 1. sessions/s against smtp-sink ------------------------------------------------------------
SINK_PORT=$(free_port)
smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 256 & SINK_PID=$!
sleep 0.5
kill -0 "$SINK_PID" 2>/dev/null || die "smtp-sink did not start on 127.0.0.1:$SINK_PORT"
echo "| sessions/s vs smtp-sink | ours | smtp-source | ratio (ours / smtp-source) |" >> "$ROWS"
echo "| --- | --- | --- | --- |" >> "$ROWS"
for c in 1 8 32; do
  ours=(); theirs=()
  for round in $(seq "$ROUNDS"); do   # alternate, so both see the same machine
    # exit 1 is expected: smtp-sink's own deviations (an empty last EHLO line, 221 without an enhanced code)
    line=$(java -Xmx256m -jar "$JAR" load --target "127.0.0.1:$SINK_PORT" --concurrency "$c" --sessions "$SESSIONS" \
      --report-dir "$WORK/load-$c-$round" 2>/dev/null || true)
    ours+=("$(load_rate "$line")")
    t0=$(now_ms)
    smtp-source -s "$c" -m "$SESSIONS" -l 1024 -f sender@example.test -t postmaster@test.example "127.0.0.1:$SINK_PORT"
    t1=$(now_ms)
    theirs+=("$(python3 -c "print($SESSIONS*1000/max(1,$t1-$t0))")")
  done
  o=$(median "${ours[@]}"); t=$(median "${theirs[@]}")
  log "concurrency $c: ours ${ours[*]} / smtp-source ${theirs[*]}"
  printf '| %d concurrent, %d sessions, median of %d | %.0f | %.0f | %s |\n' "$c" "$SESSIONS" "$ROUNDS" "$o" "$t" "$(ratio "$o" "$t")" >> "$ROWS"
done
kill "$SINK_PID"; SINK_PID=""
echo >> "$ROWS"

# --- 2. core suite against postfix: run vs swaks ----------------------------------------------
PF_PORT=$(free_port)
POSTFIX_PORT=$PF_PORT "$ROOT/src/test/servers/start-postfix.sh" >/dev/null
CASES=$(grep -c '^  - id:' test-suites/rfc5321-core.yaml)
run_times=(); swaks_times=()
for round in $(seq "$ROUNDS"); do
  t0=$(now_ms)
  java -jar "$JAR" run --suite test-suites/rfc5321-core.yaml --target "127.0.0.1:$PF_PORT" \
    --report-dir "$WORK/core-$round" >/dev/null || true   # postfix fails some cases: the verdicts are not the point here
  t1=$(now_ms)
  # what a swaks-based script does today: one swaks session per case, one after the other
  for i in $(seq "$CASES"); do
    swaks --server "127.0.0.1:$PF_PORT" --helo client.test --from harness@client.test \
      --to postmaster@test.example --silent 2 >/dev/null 2>&1 || true
  done
  t2=$(now_ms)
  run_times+=($((t1 - t0))); swaks_times+=($((t2 - t1)))
done
# the same full session (EHLO, MAIL, RCPT, DATA, QUIT) one after another: ours vs what swaks took per case
serial=$(load_rate "$(java -Xmx256m -jar "$JAR" load --target "127.0.0.1:$PF_PORT" --concurrency 1 --sessions 300 \
  --report-dir "$WORK/load-postfix" 2>/dev/null || true)")
"$ROOT/src/test/servers/stop-postfix.sh" >/dev/null 2>&1 || true
r=$(median "${run_times[@]}"); s=$(median "${swaks_times[@]}")
log "core suite: run ${run_times[*]} ms / swaks ${swaks_times[*]} ms"
{
  echo "| rfc5321-core ($CASES cases) against postfix | ours (run) | swaks, one session per case | ratio (swaks / ours) |"
  echo "| --- | --- | --- | --- |"
  printf '| wall time, median of %d | %.2f s | %.2f s | %s× faster |\n' "$ROUNDS" "$(python3 -c "print($r/1000)")" \
    "$(python3 -c "print($s/1000)")" "$(ratio "$s" "$r")"
  swaks_rate=$(python3 -c "print($CASES*1000/$s)")
  printf '| full sessions one after another, sessions/s | %.0f | %.1f | %s× faster |\n' "$serial" "$swaks_rate" \
    "$(ratio "$serial" "$swaks_rate")"
  echo
} >> "$ROWS"

# --- 3. start-up: run against the embedded server, end to end -----------------------------------
# What costs what: the JVM and picocli alone (--version), the run's own span (summary.json: suites
# loaded, server and client up, cases run), the rest (reports, exit); and the same run with a class
# data archive (AppCDS) made by one training run, as README "Start-up" suggests.
CDS="$WORK/smtp-harness.jsa"
java -XX:ArchiveClassesAtExit="$CDS" -jar "$JAR" run --report-dir "$WORK/cds-training" >/dev/null 2>&1 || CDS=""
startups=(); cds_startups=(); versions=(); spans=()
for round in $(seq "$ROUNDS"); do
  t0=$(now_ms)
  java -jar "$JAR" --version >/dev/null
  versions+=($(( $(now_ms) - t0 )))
  t0=$(now_ms)
  java -jar "$JAR" run --report-dir "$WORK/embedded-$round" >/dev/null
  startups+=($(( $(now_ms) - t0 )))
  spans+=($(python3 -c "import json; print(json.load(open('$WORK/embedded-$round/summary.json'))['durationMs'])"))
  if [ -n "$CDS" ]; then
    t0=$(now_ms)
    java -XX:SharedArchiveFile="$CDS" -jar "$JAR" run --report-dir "$WORK/embedded-cds-$round" >/dev/null
    cds_startups+=($(( $(now_ms) - t0 )))
  fi
done
e=$(median "${startups[@]}")
total=$(python3 -c "import json; print(sum(json.load(open('$WORK/embedded-1/summary.json'))['counts'].values()))")
slowest=$(python3 -c "import json; c=json.load(open('$WORK/embedded-1/summary.json'))['cases']; print(max(x['durationMs'] for x in c))")
{
  echo "| run against the embedded server (end to end, JVM start included) | wall | target |"
  echo "| --- | --- | --- |"
  printf '| %d cases, median of %d | %.2f s | under 3 s; the slowest case alone waits %.1f s (expect-none windows) |\n' \
    "$total" "$ROUNDS" "$(python3 -c "print($e/1000)")" "$(python3 -c "print($slowest/1000)")"
  if [ -n "$CDS" ]; then
    printf '| the same with a class data archive (-XX:SharedArchiveFile), median of %d | %.2f s | |\n' \
      "$ROUNDS" "$(python3 -c "print($(median "${cds_startups[@]}")/1000)")"
  fi
  printf '| of it: JVM and picocli alone (--version) | %.2f s | |\n' "$(python3 -c "print($(median "${versions[@]}")/1000)")"
  printf '| of it: the cases, 32 at once (summary.json durationMs) | %.2f s | |\n' \
    "$(python3 -c "print($(median "${spans[@]}")/1000)")"
  echo
} >> "$ROWS"

# --- 4. RSS of a fuzz run ------------------------------------------------------------------------
if java -jar "$JAR" help fuzz >/dev/null 2>&1 || java -jar "$JAR" fuzz --help >/dev/null 2>&1; then
  java -Xmx256m -jar "$JAR" fuzz --duration "${FUZZ_SECONDS}s" --seed 1 --report-dir "$WORK/fuzz" \
    > "$WORK/fuzz.out" 2>&1 & FUZZ_PID=$!
  : > "$WORK/rss"
  while kill -0 "$FUZZ_PID" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$FUZZ_PID/status" >> "$WORK/rss" 2>/dev/null || true
    sleep 1
  done
  wait "$FUZZ_PID" || true
  read -r peak warm last < <(python3 - "$WORK/rss" <<'EOF'
import sys
v=[int(x) for x in open(sys.argv[1]) if x.strip()]
w=v[min(len(v)-1, len(v)//4):]            # after warm-up: the last three quarters
print(max(v)//1024, w[0]//1024, v[-1]//1024)
EOF
)
  rate=$(grep -o '[0-9.]* dialogues/s' "$WORK/fuzz.out" | tail -1 || true)
  {
    echo "| fuzz --duration ${FUZZ_SECONDS}s (embedded, -Xmx256m) | peak RSS | RSS after warm-up → at end | rate |"
    echo "| --- | --- | --- | --- |"
    echo "| seed 1 | ${peak} MiB | ${warm} → ${last} MiB | ${rate:-n/a} |"
    echo
  } >> "$ROWS"
else
  echo "fuzz: this build has no fuzz command; row not measured." >> "$ROWS"; echo >> "$ROWS"
fi

# --- 4b. fuzz dialogues/s: one connection against the default, embedded and against smtp-sink ----
# same seed, so both runs generate the same dialogues; smtp-sink's own deviations make findings,
# whose shrinking is part of the time (a few seconds at the start)
fuzz_rate() { grep -o '[0-9.]* dialogues/s' <<<"$1" | tail -1 | cut -d' ' -f1; }
FUZZ_RATE_SECONDS=${BENCH_FUZZ_RATE_SECONDS:-20}
SINK_PORT=$(free_port)
smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 256 2>/dev/null & SINK_PID=$!
sleep 0.5
{
  echo "| fuzz --duration ${FUZZ_RATE_SECONDS}s --seed 1, dialogues/s | --connections 1 | default ($(nproc) cores: $(( $(nproc) * 4 > 16 ? 16 : $(nproc) * 4 ))) | ratio |"
  echo "| --- | --- | --- | --- |"
  for target in embedded sink; do
    args=(); [ "$target" = sink ] && args=(--target "127.0.0.1:$SINK_PORT")
    one=$(java -jar "$JAR" fuzz "${args[@]}" --duration "${FUZZ_RATE_SECONDS}s" --seed 1 --connections 1 \
      --report-dir "$WORK/fuzz-$target-1" 2>&1 || true)
    many=$(java -jar "$JAR" fuzz "${args[@]}" --duration "${FUZZ_RATE_SECONDS}s" --seed 1 \
      --report-dir "$WORK/fuzz-$target-n" 2>&1 || true)
    a=$(fuzz_rate "$one"); b=$(fuzz_rate "$many")
    label=$([ "$target" = sink ] && echo "against smtp-sink" || echo "against the embedded server (same JVM)")
    echo "| $label | ${a:-n/a} | ${b:-n/a} | $( [ -n "$a" ] && [ -n "$b" ] && ratio "$b" "$a" || echo n/a) |"
  done
  echo
} >> "$ROWS"
kill "$SINK_PID"; SINK_PID=""

# --- 5. JMH micro-benchmarks ------------------------------------------------------------------------
java -jar "$BENCH_JAR" -f 1 -wi 2 -w 1 -i 3 -r 1 -rf json -rff "$WORK/jmh.json" HotPathBenchmark >/dev/null
python3 - "$WORK/jmh.json" >> "$ROWS" <<'EOF'
import json, sys
print("| JMH (1 fork, 2×1 s warm-up, 3×1 s measured) | ns/op | ± error |")
print("| --- | --- | --- |")
for b in json.load(open(sys.argv[1])):
    m = b["primaryMetric"]
    print(f"| {b['benchmark'].rsplit('.', 1)[1]} | {m['score']:.0f} | {m['scoreError']:.0f} |")
EOF

{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores," \
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)," \
       "$(/usr/sbin/postconf -d mail_version 2>/dev/null | sed 's/mail_version = /Postfix /'), swaks $(swaks --version 2>&1 | grep -o '[0-9][0-9.]*' | head -1)."
  echo "Sessions are EHLO, MAIL, RCPT, DATA with a 1 KiB body, QUIT; ours go through the harness's own runner,"
  echo "every reply parsed and judged by the oracles. Ratios come from runs side by side in this one run."
  echo "Command: \`bench/run.sh\` (BENCH_SESSIONS=$SESSIONS, BENCH_ROUNDS=$ROUNDS, fuzz ${FUZZ_SECONDS} s)."
  echo
  cat "$ROWS"
} > "$RESULTS"
log "wrote $RESULTS"
cat "$RESULTS"
