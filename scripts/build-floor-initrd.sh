#!/bin/sh
# The benchmark's floor: an initramfs whose /init says one line and powers off at once, booted by
# the same kernel with the same command line. Boot time to that line is what the OS image is
# compared against.
set -eu
out=${1:?usage: build-floor-initrd.sh OUT}
busybox=${BUSYBOX:-/bin/busybox}
stage="$out.d"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/dev"
cp "$busybox" "$stage/bin/busybox"
printf '#!/bin/busybox sh\n/bin/busybox echo "k3os-floor: ready"\n/bin/busybox poweroff -f\n' > "$stage/init"
chmod 755 "$stage/init"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
