#!/usr/bin/env bash
# Runs inside the debootstrapped rootfs (chroot): installs the PostgreSQL server and lays out the filesystem
# the way the official postgres image does. Argument: the PostgreSQL major version.
set -euo pipefail
pg_major="$1"
export DEBIAN_FRONTEND=noninteractive

# Nothing may start a service while installing into a rootfs (Debian's container images keep this too).
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod +x /usr/sbin/policy-rc.d

# Docs, man pages and translations are dead weight in a CI image.
cat >/etc/dpkg/dpkg.cfg.d/slim <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
CFG

# uid/gid 999 as in the official image, so a data volume can move between the two.
groupadd -r -g 999 postgres
useradd -r -g postgres -u 999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres
install -d -o postgres -g postgres /var/lib/postgresql

apt-get update -q
apt-get install -y -q --no-install-recommends postgresql-common
# The entrypoint runs initdb into PGDATA; the package's default cluster would only take space.
sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf
apt-get install -y -q --no-install-recommends "postgresql-$pg_major"

# Every cluster initdb makes listens on all interfaces, as in the official image (containers are reached over the network).
sample="/usr/share/postgresql/$pg_major/postgresql.conf.sample"
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
grep -qF "listen_addresses = '*'" "$sample"

install -d -o postgres -g postgres -m 3777 /var/run/postgresql
install -d -o postgres -g postgres -m 1777 /var/lib/postgresql/data

apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt/* /var/log/dpkg.log
