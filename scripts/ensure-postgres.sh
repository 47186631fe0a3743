#!/usr/bin/env bash
# ensure-postgres.sh makes sure a PostgreSQL server answers on
# 127.0.0.1:$PG_PORT (default 5432), that the postgres user can connect to it
# over TCP without a password, and that it has a database named test: what
# CASEBOARD_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test needs.
#
# In order: a server already answering is used as it is; a local cluster that
# is installed but stopped is started; with neither, Debian's postgresql is
# installed and its cluster started. If the postgres user is refused, a local
# cluster's pg_hba.conf is given trust lines for loopback and the socket (a
# test database on a developer or CI machine; never do this to a shared
# server). Idempotent and quiet when everything is already in place.
#
# PG_PORT and PG_CLUSTER (default main) choose another local cluster, for
# testing this script without touching the machine's own.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

port=${PG_PORT:-5432}
cluster=${PG_CLUSTER:-main}
url="postgresql://postgres@127.0.0.1:$port"
export PGCONNECT_TIMEOUT=5

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# local_version prints the newest PostgreSQL version that has a
# configuration for the cluster, or nothing.
local_version() {
	local v
	for v in $(ls /etc/postgresql 2>/dev/null | sort -V -r); do
		if [ -d "/etc/postgresql/$v/$cluster" ]; then
			echo "$v"
			return
		fi
	done
}

start_cluster() {
	local v=$1
	note "starting PostgreSQL $v cluster $cluster"
	# --skip-systemctl-redirect: there is no systemd on these machines.
	as_root pg_ctlcluster --skip-systemctl-redirect "$v" "$cluster" start
}

wait_for_port() {
	local i
	for i in $(seq 1 60); do
		answers && return 0
		sleep 0.5
	done
	note "PostgreSQL does not answer on 127.0.0.1:$port after 30 seconds"
	return 1
}

if ! answers; then
	v=$(local_version)
	if [ -z "$v" ]; then
		if [ "$cluster" != main ]; then
			note "no PostgreSQL cluster $cluster to start"
			exit 1
		fi
		apt_install postgresql
		v=$(local_version)
		if [ -z "$v" ]; then
			note "postgresql was installed but made no cluster under /etc/postgresql"
			exit 1
		fi
	fi
	# The package's own start (or a stale one) may have begun already.
	if ! pg_ctlcluster "$v" "$cluster" status >/dev/null 2>&1; then
		start_cluster "$v"
	fi
	wait_for_port
fi

if ! command -v psql >/dev/null 2>&1; then
	apt_install postgresql-client
fi

psql_q() { psql "$url/$1" -w -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"; }

if ! psql_q postgres 'select 1' >/dev/null 2>&1; then
	v=$(local_version)
	hba=/etc/postgresql/$v/$cluster/pg_hba.conf
	if [ -z "$v" ] || [ ! -f "$hba" ]; then
		note "the postgres user cannot connect to 127.0.0.1:$port and it is not a local cluster to fix:"
		psql_q postgres 'select 1' >&2 || true
		exit 1
	fi
	note "trusting local and loopback connections in $hba"
	# The first matching line wins, so these go on top; the original lines
	# stay below them, and the original file beside it, to undo by hand.
	as_root cp "$hba" "$hba.before-caseboard"
	{
		echo "# Added by caseboard's scripts/ensure-postgres.sh for tests; the original is $hba.before-caseboard."
		echo "local all all trust"
		echo "host all all 127.0.0.1/32 trust"
		echo "host all all ::1/128 trust"
		as_root cat "$hba.before-caseboard"
	} | as_root tee "$hba" >/dev/null
	as_root pg_ctlcluster --skip-systemctl-redirect "$v" "$cluster" reload
	for i in $(seq 1 20); do
		psql_q postgres 'select 1' >/dev/null 2>&1 && break
		sleep 0.5
	done
	psql_q postgres 'select 1' >/dev/null
fi

if [ "$(psql_q postgres "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
	note "creating database test"
	psql_q postgres 'create database test' >/dev/null
fi
