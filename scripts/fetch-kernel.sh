#!/bin/sh
# Downloads the Debian cloud kernel that linux-image-cloud-amd64 currently points at and
# unpacks it under $1 (build/kernel). The .deb is kept there, so this runs once per checkout.
set -eu
dest=${1:?usage: fetch-kernel.sh DEST}
meta=${KERNEL_META:-linux-image-cloud-amd64}
mkdir -p "$dest"
cd "$dest"
pkg=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
if [ -z "$pkg" ]; then
  echo "fetch-kernel: cannot resolve the package behind $meta (run apt-get update?)" >&2
  exit 1
fi
if ! ls "$pkg"_*.deb >/dev/null 2>&1; then
  # _apt cannot write into a root-owned build dir; download as root without the sandbox warning.
  apt-get download -o APT::Sandbox::User=root "$pkg"
fi
rm -rf root
dpkg-deb -x "$pkg"_*.deb root
version=$(ls root/lib/modules)
depmod -b root "$version"
echo "$version" > version
echo "fetch-kernel: $pkg ($version)"
