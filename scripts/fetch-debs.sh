#!/bin/sh
# Downloads Debian packages that the image takes programs from (not installed on the builder)
# and unpacks them all under DEST/root. Cached: a .deb already in DEST is not fetched again.
set -eu
dest=${1:?usage: fetch-debs.sh DEST PACKAGE...}
shift
mkdir -p "$dest"
cd "$dest"
rm -rf root
for pkg in "$@"; do
  ls "$pkg"_*.deb >/dev/null 2>&1 || apt-get download -o APT::Sandbox::User=root "$pkg"
  dpkg-deb -x "$pkg"_*.deb root
done
touch root
