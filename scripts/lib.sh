# shellcheck shell=bash
# Helpers shared by the ensure-*.sh scripts. Source it; it defines functions
# only.

# note prints a progress line on stderr, so a script stays quiet on stdout.
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# as_root runs a command as root, through sudo when we are not root.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n "$@"
	else
		note "need root to run: $*"
		return 1
	fi
}

# apt_install installs Debian packages without questions. It runs
# apt-get update at most once per boot and machine (a fresh machine's package
# lists may be missing or stale; a second update would only cost time), by
# leaving a stamp in /run, which a reboot clears.
apt_install() {
	local stamp=/run/caseboard-apt-updated
	export DEBIAN_FRONTEND=noninteractive
	if [ ! -e "$stamp" ]; then
		note "apt-get update"
		as_root apt-get update -qq >/dev/null
		as_root touch "$stamp" 2>/dev/null || true
	fi
	note "apt-get install $*"
	# apt-get prints a debconf notice on stderr on machines without
	# apt-utils; it is harmless, so keep it out of an otherwise quiet run.
	as_root apt-get install -y -qq "$@" </dev/null >/dev/null \
		2> >(grep -v '^debconf: delaying package configuration' >&2)
}
