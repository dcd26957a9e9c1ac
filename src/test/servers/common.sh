# Shared helpers for start-postfix.sh / stop-postfix.sh. Source it; do not run it.
# Adapted from the team's shared/servers/common.sh; this copy is the one the
# project's tests use.
#
# Everything listens on 127.0.0.1 only. Runtime state lives under
# $SMTP_PEERS_RUN (default /tmp/smtp-harness-peers); give every concurrent
# instance / test run its own SMTP_PEERS_RUN so they do not collide.

SMTP_PEERS_RUN=${SMTP_PEERS_RUN:-/tmp/smtp-harness-peers}
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

# check_port PORT : a decimal TCP port 1..65535
check_port() {
  [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ] || die "invalid port '$1' (POSTFIX_PORT must be 1..65535)"
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

# wait_220 PORT TIMEOUT_S START_MS : wait for a "220" greeting; report elapsed ms on stderr
wait_220() {
  local port=$1 timeout=${2:-30} start=${3:-$(now_ms)} g
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
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

# with_loopback_dns CMD ARGS... : run CMD in a private mount namespace whose
# /etc/resolv.conf holds only "lookup file" + "nameserver 127.0.0.1", so the
# server cannot send DNS queries anywhere but loopback. The pid stays that of
# CMD (exec chain). Call it in a subshell: it execs.
with_loopback_dns() {
  local rc="$SMTP_PEERS_RUN/resolv.conf"
  mkdir -p "$SMTP_PEERS_RUN"; chmod 755 "$SMTP_PEERS_RUN"
  printf 'lookup file\nnameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$rc"; chmod 644 "$rc"
  exec unshare --mount --propagation private -- sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$rc" "$@"
}
