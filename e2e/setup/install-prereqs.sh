#!/usr/bin/env bash
# Installs what the test suite needs on Debian/Ubuntu: OpenSSH server and client,
# Chromium, Xvfb, iproute2, util-linux (unshare/nsenter), CRIU >= 4, and lintian,
# systemd-analyze and man for the node package checks.
# CRIU: Debian 12's criu 3.17 fails on current kernels, so when no criu >= 4 is on
# PATH we unpack Debian trixie's criu and the libraries it needs into a private
# prefix (never system-wide) and run it through trixie's own dynamic loader.
set -euo pipefail

PREFIX="${MOSIXVIEW_CRIU_PREFIX:-/opt/mosixview-criu}"
need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

fail() { echo "install-prereqs: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  missing=""
  for c in sshd ssh chromium ip unshare nsenter lintian systemd-analyze man; do
    [ -x "/usr/sbin/$c" ] || have "$c" || missing="$missing $c"
  done
  [ -z "$missing" ] || fail "missing:$missing. Run 'sudo bash e2e/setup/install-prereqs.sh' once (needs root: apt-get and network namespaces)."
  exit 0
fi

[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
have ssh || need_apt+=(openssh-client)
have chromium || need_apt+=(chromium)
have Xvfb || need_apt+=(xvfb)
have ip || need_apt+=(iproute2)
have unshare || need_apt+=(util-linux)
# The node package's checks (build/package-node/packageNode.test.ts).
have lintian || need_apt+=(lintian)
have systemd-analyze || need_apt+=(systemd)
have man || need_apt+=(man-db)
have curl || true

apt_updated=0
apt_update() { [ "$apt_updated" = 1 ] || { apt-get update -qq >/dev/null; apt_updated=1; }; }

if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "install-prereqs: apt-get install ${need_apt[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
    || fail "apt-get install ${need_apt[*]} failed"
fi
mkdir -p /run/sshd

criu_ok() {
  local v
  v=$("$@" --version 2>/dev/null | sed -n 's/^Version: *\([0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 4 ] && "$@" check >/dev/null 2>&1
}

if have criu && criu_ok criu; then
  echo "install-prereqs: system criu >= 4 works"; exit 0
fi
if [ -x "$PREFIX/bin/criu" ] && criu_ok "$PREFIX/bin/criu"; then
  echo "install-prereqs: criu ready at $PREFIX/bin/criu"; exit 0
fi

. /etc/os-release
if [ "${ID:-}" != debian ]; then
  fail "no working criu >= 4 found. Install CRIU 4 from your distribution (Ubuntu 24.10+: apt install criu) or set MOSIXVIEW_CRIU to its path."
fi

echo "install-prereqs: fetching criu 4 from Debian trixie into $PREFIX"
if ! grep -rqs 'trixie' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/mosixview-trixie.sources <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
cat > /etc/apt/preferences.d/mosixview-trixie-low <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
apt_updated=0; apt_update

pkgs="criu libcompel1 libc6 libbsd0 libgnutls30t64 libnet1 libnftables1 libnl-3-200
libprotobuf-c1 libuuid1 libmd0 libp11-kit0 libidn2-0 libunistring5 libtasn1-6
libnettle8t64 libhogweed6t64 libgmp10 libjansson4 libmnl0 libnftnl11 libxtables12
libffi8 libedit2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && apt-get download -qq -t trixie $pkgs >/dev/null ) || fail "apt-get download of trixie criu packages failed"
rm -rf "$PREFIX.new"; mkdir -p "$PREFIX.new"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$PREFIX.new"; done
mkdir -p "$PREFIX.new/bin"
cat > "$PREFIX.new/bin/criu" <<WRAP
#!/bin/sh
# criu from Debian trixie, run with its own libc through its own loader.
P=$PREFIX
exec "\$P/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" --library-path "\$P/usr/lib/x86_64-linux-gnu" "\$P/usr/sbin/criu" "\$@"
WRAP
chmod 755 "$PREFIX.new/bin/criu"
rm -rf "$PREFIX"; mv "$PREFIX.new" "$PREFIX"
criu_ok "$PREFIX/bin/criu" || fail "criu unpacked at $PREFIX but 'criu check' fails: $("$PREFIX/bin/criu" check 2>&1 | tail -3)"
echo "install-prereqs: criu ready at $PREFIX/bin/criu"
