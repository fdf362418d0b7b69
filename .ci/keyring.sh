#!/usr/bin/env bash
# A real, private Secret Service for tests, with no display and no desktop session.
#
#   bash .ci/keyring.sh install        apt-get install dbus + gnome-keyring (never dbus-x11)
#   bash .ci/keyring.sh run CMD...     run CMD inside a fresh D-Bus session with an unlocked
#                                      gnome-keyring and throwaway XDG_DATA_HOME/XDG_RUNTIME_DIR
#   bash .ci/keyring.sh CMD...         same as run
#
# Inside, FALCON_TUI_REQUIRE_KEYRING=1 is exported: the real-keyring tests then fail (not skip)
# when the Secret Service does not answer. The exit status is CMD's.
#
# Why each step (docs/LOGIN.md, "Headless Linux" and "For developers", says more):
# - dbus-run-session starts a session bus for CMD only and stops it when CMD exits.
# - a newline on stdin makes gnome-keyring create and unlock the "login" collection; go-keyring
#   never creates one. We use a random password so the keyring file is really encrypted.
# - --foreground lets us own the daemon's pid and stop it ourselves; we wait until it owns
#   org.freedesktop.secrets and the default alias resolves, or D-Bus would auto-activate a
#   second, locked daemon that outlives the session.
# - dbus-x11 is never installed: its dbus-launch auto-starts daemons that keep running.
set -euo pipefail

need=(dbus-run-session dbus-send gnome-keyring-daemon)

install() {
  local missing=0 c
  for c in "${need[@]}"; do command -v "$c" >/dev/null || missing=1; done
  if [ "$missing" = 0 ]; then
    echo "keyring.sh: dbus and gnome-keyring already installed"
    return 0
  fi
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    dbus gnome-keyring >/dev/null
  for c in "${need[@]}"; do
    command -v "$c" >/dev/null || { echo "keyring.sh: $c still missing after apt-get" >&2; exit 1; }
  done
}

run() {
  local c
  for c in "${need[@]}"; do
    command -v "$c" >/dev/null || {
      echo "keyring.sh: $c not found: run 'bash .ci/keyring.sh install' first" >&2
      exit 1
    }
  done
  [ "$#" -gt 0 ] || { echo "keyring.sh: run needs a command" >&2; exit 2; }
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/falcon-tui-keyring.XXXXXX")
  # shellcheck disable=SC2064 # expand $tmp now: it is local
  trap "rm -rf '$tmp'" EXIT
  mkdir -m 0700 "$tmp/data" "$tmp/runtime"
  local status=0
  # The data dir holds the keyring files; the runtime dir the daemon's control socket (otherwise
  # ~/.cache/keyring-*). Both vanish with $tmp.
  XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/runtime" \
    dbus-run-session -- bash "${BASH_SOURCE[0]}" __inside "$@" || status=$?
  return "$status"
}

# inside runs in the private session: start the daemon, wait for it, run the command, stop it.
inside() {
  local password log gkd
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  log="$XDG_RUNTIME_DIR/gnome-keyring.log"
  printf '%s\n' "$password" |
    gnome-keyring-daemon --foreground --unlock --components=secrets >"$log" 2>&1 &
  gkd=$!
  trap "kill $gkd 2>/dev/null || true; wait $gkd 2>/dev/null || true" EXIT

  local i ok=0
  for i in $(seq 1 150); do
    if ! kill -0 "$gkd" 2>/dev/null; then
      echo "keyring.sh: gnome-keyring-daemon exited early:" >&2
      cat "$log" >&2
      exit 1
    fi
    # Ask the bus first: a call to org.freedesktop.secrets itself would auto-activate it.
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q 'boolean true' &&
      dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
        org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null |
      grep -q '/org/freedesktop/secrets/collection/'; then
      ok=1
      break
    fi
    sleep 0.1
  done
  if [ "$ok" != 1 ]; then
    echo "keyring.sh: the Secret Service did not come up in 15s:" >&2
    cat "$log" >&2
    exit 1
  fi

  export FALCON_TUI_REQUIRE_KEYRING=1
  local status=0
  "$@" || status=$?
  return "$status"
}

case "${1:-}" in
install) install ;;
run) shift; run "$@" ;;
__inside) shift; inside "$@" ;;
"" | -h | --help)
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  [ "${1:-}" = "" ] && exit 2 || exit 0
  ;;
*) run "$@" ;;
esac
