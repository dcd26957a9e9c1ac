# Shared helpers for the start-*.sh / stop-*.sh scripts (postfix, exim,
# opensmtpd, aiosmtpd-tls, sendmail, greenmail, smtp-server, smtp-server-tls).
# Source it; do not run it. Adapted from the team's shared/servers/common.sh;
# this copy is the one the project's tests use.
#
# Everything listens on 127.0.0.1 only. Runtime state lives under
# $SMTP_PEERS_RUN (default /tmp/smtp-harness-peers); give every concurrent
# instance / test run its own SMTP_PEERS_RUN so they do not collide.
# Binaries unpacked from .deb files (the MTAs that conflict with the installed
# postfix package) live under $SMTP_PEERS_OPT (default /opt/smtp-peers).

SMTP_PEERS_RUN=${SMTP_PEERS_RUN:-/tmp/smtp-harness-peers}
SMTP_PEERS_OPT=${SMTP_PEERS_OPT:-/opt/smtp-peers}
export DEBIAN_FRONTEND=noninteractive

die() { echo "ERROR: $*" >&2; exit 1; }
log() { echo "[$(basename "$0")] $*" >&2; }

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (installs packages, binds as root, drops privileges itself)"; }

# need_cmd CMD [PACKAGE] : fail early with a clear message when a tool is missing
need_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found${2:+ (Debian package: $2)}"; }

# check_run_dir : SMTP_PEERS_RUN ends up verbatim in main.cf, so it must be an
# absolute path without blanks or shell/postfix meta characters.
check_run_dir() {
  case "$SMTP_PEERS_RUN" in
    /*) ;;
    *) die "SMTP_PEERS_RUN must be an absolute path (got '$SMTP_PEERS_RUN')" ;;
  esac
  [[ "$SMTP_PEERS_RUN" =~ ^[A-Za-z0-9_./+-]+$ ]] || die "SMTP_PEERS_RUN may only contain [A-Za-z0-9_./+-] (got '$SMTP_PEERS_RUN')"
  SMTP_PEERS_RUN=${SMTP_PEERS_RUN%/}
}

# check_port PORT [VARNAME] : a decimal TCP port 1..65535
check_port() {
  [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ] || die "invalid port '$1' (${2:-POSTFIX_PORT} must be 1..65535)"
}

now_ms() { date +%s%3N; }

_apt_updated=""
apt_update_once() {
  # apt-cache/apt-get need lists; only update when none are present or on request.
  if [ -z "$_apt_updated" ]; then
    if [ -n "${SMTP_PEERS_APT_UPDATE:-}" ] || ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'; then
      apt-get update -qq || die "apt-get update failed"
    fi
    _apt_updated=1
  fi
}

# apt_install PKG... : install with no recommends, services not started (policy-rc.d)
apt_install() {
  apt_update_once
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local prc_created=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep maintainer scripts from starting daemons on the default port 25
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; prc_created=1
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null </dev/null || { [ -n "$prc_created" ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install ${missing[*]} failed"; }
  [ -n "$prc_created" ] && rm -f /usr/sbin/policy-rc.d
  return 0
}

# deb_unpack PKG DEST : apt-get download PKG (once, kept in $SMTP_PEERS_OPT/debs)
# and dpkg -x it into DEST. No maintainer scripts run and no Conflicts are
# checked: used for the MTAs that conflict with the installed postfix.
deb_unpack() {
  local pkg=$1 dest=$2 dl="$SMTP_PEERS_OPT/debs" deb
  mkdir -p "$dl" "$dest"
  chmod 755 "$SMTP_PEERS_OPT" "$dl"
  if ! ls "$dl/${pkg}"_*.deb >/dev/null 2>&1; then
    apt_update_once
    log "apt-get download $pkg"
    (cd "$dl" && apt-get download -q "$pkg" >/dev/null 2>"$dl/$pkg.download.log" </dev/null) \
      || { cat "$dl/$pkg.download.log" >&2; die "apt-get download $pkg failed"; }
  fi
  deb=$(ls "$dl/${pkg}"_*.deb | tail -1)
  dpkg -x "$deb" "$dest" || die "dpkg -x $deb failed"
}

# deb_version PKG : the Version field of the downloaded .deb (empty if none)
deb_version() {
  local deb
  deb=$(ls "$SMTP_PEERS_OPT/debs/${1}"_*.deb 2>/dev/null | tail -1)
  [ -n "$deb" ] && dpkg-deb -f "$deb" Version 2>/dev/null || true
}

# ensure_user NAME [HOME] : create a locked system user (with its own group) if missing
ensure_user() {
  local u=$1 home=${2:-/nonexistent}
  getent passwd "$u" >/dev/null && return 0
  log "useradd --system $u"
  useradd --system --home-dir "$home" --no-create-home --shell /usr/sbin/nologin --user-group "$u" || die "useradd $u failed"
}

# missing_libs BINARY : print the "not found" lines of ldd (empty when all resolve)
missing_libs() { ldd "$1" 2>/dev/null | grep 'not found' || true; }

port_in_use() {
  if command -v ss >/dev/null; then ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
  else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}

# smtp_greeting PORT : print the first reply line (or nothing), sends QUIT
smtp_greeting() {
  local port=$1 line=""
  exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
  IFS= read -r -t 3 line <&3 || true
  printf 'QUIT\r\n' >&3 2>/dev/null || true
  exec 3<&- 3>&- 2>/dev/null || true
  printf '%s\n' "${line%$'\r'}"
}

# wait_220 PORT TIMEOUT_S START_MS [PID] : wait for a "220" greeting; report
# elapsed ms on stderr. With PID, give up early once that process is gone.
wait_220() {
  local port=$1 timeout=${2:-30} start=${3:-$(now_ms)} pid=${4:-} g
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ -n "$pid" ] && ! proc_alive "$pid"; then echo "server process $pid exited before it greeted" >&2; return 1; fi
    g=$(smtp_greeting "$port" 2>/dev/null || true)
    if [ "${g:0:3}" = "220" ]; then
      echo "ready: 127.0.0.1:$port after $(( $(now_ms) - start )) ms -- $g" >&2
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# proc_alive PID : true if PID exists and is not a zombie (orphans are reaped late here)
proc_alive() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ]
}

# pid_alive PIDFILE : the pid in PIDFILE runs (and is not a zombie)
pid_alive() { [ -s "$1" ] && proc_alive "$(head -1 "$1" | tr -dc 0-9)"; }

# stop_pidfile PIDFILE NAME : TERM the pid, wait up to 10 s, then KILL that same
# pid; removes PIDFILE. Fine when the file or the process is gone already.
stop_pidfile() {
  local pf=$1 name=${2:-server} pid
  [ -s "$pf" ] || { log "$name: no pid file ($pf), nothing to stop"; rm -f "$pf"; return 0; }
  pid=$(head -1 "$pf" | tr -dc 0-9)
  if [ -z "$pid" ] || ! proc_alive "$pid"; then log "$name: not running"; rm -f "$pf"; return 0; fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" 10; then
    log "$name: pid $pid ignored TERM for 10 s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "$name: pid $pid does not go away"
  fi
  rm -f "$pf"
  log "$name: stopped (pid $pid)"
}

# wait_pid_gone PID SECONDS
wait_pid_gone() {
  local pid=$1 t=${2:-10} i
  for i in $(seq 1 $(( t * 20 ))); do proc_alive "$pid" || return 0; sleep 0.05; done
  return 1
}

# wait_port_free PORT SECONDS
wait_port_free() {
  local port=$1 t=${2:-10} i
  for i in $(seq 1 $(( t * 20 ))); do port_in_use "$port" || return 0; sleep 0.05; done
  return 1
}

# with_loopback_dns [--hosts FILE] CMD ARGS... : run CMD in a private mount
# namespace whose /etc/resolv.conf holds only "lookup file" + "nameserver
# 127.0.0.1", so the server cannot send DNS queries anywhere but loopback. With
# --hosts, FILE is bind-mounted over /etc/hosts there too (sendmail wants a
# dotted name for its own host). The pid stays that of CMD (exec chain). Call it
# in a subshell: it execs.
with_loopback_dns() {
  local rc="$SMTP_PEERS_RUN/resolv.conf" hosts=""
  if [ "${1:-}" = --hosts ]; then hosts=$2; shift 2; fi
  mkdir -p "$SMTP_PEERS_RUN"; chmod 755 "$SMTP_PEERS_RUN"
  printf 'lookup file\nnameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$rc"; chmod 644 "$rc"
  if [ -n "$hosts" ]; then
    exec unshare --mount --propagation private -- sh -c 'mount --bind "$0" /etc/resolv.conf && mount --bind "$1" /etc/hosts && shift && exec "$@"' "$rc" "$hosts" "$@"
  fi
  exec unshare --mount --propagation private -- sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$rc" "$@"
}

# install_lock NAME : hold an exclusive lock ($SMTP_PEERS_OPT/.NAME.lock, waits up to
# 10 min) until install_unlock or the script's exit, so concurrent starts (parallel CI warm-up,
# tests) do not download or unpack into the same directory at once.
install_lock() {
  mkdir -p "$SMTP_PEERS_OPT"; chmod 755 "$SMTP_PEERS_OPT"
  exec 9>"$SMTP_PEERS_OPT/.$1.lock"
  flock -w 600 9 || die "timed out waiting for the install lock $SMTP_PEERS_OPT/.$1.lock"
}
# install_unlock : release it (before starting the daemon, which must not inherit fd 9)
install_unlock() { exec 9>&-; }

# free_loopback_port : print a TCP port nothing listens on (for a server's
# second, internal port; the main port comes from the caller)
free_loopback_port() {
  local p i
  for i in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free loopback port found"
}

# make_test_cert DIR CN : a self-signed EC P-256 certificate DIR/cert.pem with
# key DIR/key.pem (0600, root) for CN, made once per DIR (~20 ms)
# make_nobody_maildir DIR: DIR/mail/test.example as an empty maildir owned by nobody, made before
# the server starts (tests may watch it); the server writes it as nobody
make_nobody_maildir() {
  mkdir -p "$1/mail"
  chmod 755 "$SMTP_PEERS_RUN" "$1"
  chown nobody:nogroup "$1/mail"
  local d
  for d in "" /tmp /new /cur; do install -d -m 700 -o nobody -g nogroup "$1/mail/test.example$d"; done
  runuser -u nobody -- test -w "$1/mail/test.example" || die "user nobody cannot write $1/mail (a parent directory is not world-traversable)"
}

make_test_cert() {
  local dir=$1 cn=$2
  [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ] && return 0
  need_cmd openssl openssl
  install -d -m 755 "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/O=smtp-harness test/CN=$cn" -addext "subjectAltName=DNS:$cn" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >"$dir/openssl.log" 2>&1 </dev/null \
    || { cat "$dir/openssl.log" >&2; die "openssl could not make the test certificate"; }
  chmod 600 "$dir/key.pem"; chmod 644 "$dir/cert.pem"
}

# start_foreground_daemon NAME PIDFILE LOG CMD ARGS... : start CMD (a server that
# stays in the foreground) detached from us (setsid, stdin /dev/null, output to
# LOG) inside the loopback-DNS namespace; PIDFILE gets the pid of CMD itself.
start_foreground_daemon() {
  local name=$1 pidf=$2 logf=$3; shift 3
  rm -f "$pidf"
  ( with_loopback_dns setsid "$@" ) </dev/null >"$logf" 2>&1 &
  echo $! > "$pidf"
}

# already_running NAME PIDFILE PORT : when the instance in $SMTP_PEERS_RUN/NAME runs,
# print its port and exit 0 if that is PORT, die otherwise; return 1 when nothing runs.
already_running() {
  local name=$1 pidf=$2 port=$3 running_port g
  pid_alive "$pidf" || return 1
  running_port=$(cat "$SMTP_PEERS_RUN/$name/port" 2>/dev/null || echo "?")
  [ "$running_port" = "$port" ] || die "$name in $SMTP_PEERS_RUN/$name already runs on port $running_port, not $port; stop it first (SMTP_PEERS_RUN=$SMTP_PEERS_RUN stop-$name.sh)"
  g=$(smtp_greeting "$port" || true)
  [ "${g:0:3}" = 220 ] || die "$name pid $(head -1 "$pidf") runs but 127.0.0.1:$port does not greet (got '$g')"
  log "already running: 127.0.0.1:$port -- $g"
  echo "$port"; exit 0
}

# stop_daemon NAME PIDFILE [PORT_FALLBACK] : stop a daemon started by a start-NAME.sh script in
# $SMTP_PEERS_RUN/NAME (TERM, KILL after 10 s), wait until its port (read from the run dir's
# port file) is free, and forget the port. Idempotent.
stop_daemon() {
  local name=$1 pidfile=$2 fallback=${3:-} dir="$SMTP_PEERS_RUN/$1" port t0
  port=$(cat "$dir/port" 2>/dev/null || echo "$fallback")
  t0=$(now_ms)
  stop_pidfile "$dir/$pidfile" "$name"
  if [ -n "$port" ]; then wait_port_free "$port" 15 || die "$name: something still listens on 127.0.0.1:$port after stop"; fi
  rm -f "$dir/port"
  log "$name: done in $(( $(now_ms) - t0 )) ms (dir $dir${port:+, port $port})"
}
