#!/bin/sh
# Boots the image under qemu with the serial console on this terminal (make run).
# Environment: ACCEL=kvm|tcg, APPEND='extra kernel args', PORT=host port for the guest's 6443,
# STATE=state disk image (made on first use), MEM=MiB, BUILD=build dir.
set -eu
build=${BUILD:-build}
state=${STATE:-$build/state.img}
port=${PORT:-6443}
mem=${MEM:-1024}

if [ ! -e "$state" ]; then
  truncate -s 2G "$state"
  mkfs.ext4 -q -L K3OS_STATE "$state"
  echo "run-vm: made $state (ext4, label K3OS_STATE)"
fi

# The stand-in k3s's CA and admin certificate were made at image build: the host can write
# its kubeconfig now (kubectl --kubeconfig build/kubeconfig get k3osconfig). A real k3s (K3S_BIN)
# makes its own CA in the guest; copy /etc/rancher/k3s/k3s.yaml out and point it at this port.
if [ -e "$build/standin-tls/ca.crt" ]; then
  node_modules/.bin/node scripts/host-kubeconfig.ts --tls "$build/standin-tls" --port "$port" --out "$build/kubeconfig"
fi

# loops per jiffy from the TSC frequency skips the kernel's delay-loop calibration (HZ=250).
lpj=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000000 / 250; exit }' /proc/cpuinfo)

case "${ACCEL:-tcg}" in
  kvm) accel="-accel kvm" ;;
  *) accel="-accel tcg" ;;
esac

# With a terminal, ctrl-a x quits and ctrl-a c reaches the monitor; without one (scripts), the
# serial line is plain stdio so a driver can write to it and read from it.
if [ -t 0 ]; then serial=mon:stdio; else serial=stdio; fi

# A node in `make run` behaves like a machine: reboot comes back up (no -no-reboot), and slirp is not
# restricted, because a restricted slirp's DHCP offers no router, so the node would have no default
# route (k3s needs one) and would wait out the network-online timeout on every boot.
exec qemu-system-x86_64 $accel -M pc -cpu max -smp 1 -m "$mem" -nodefaults -display none \
  -serial "$serial" -monitor none \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -drive "file=$state,format=raw,if=virtio" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-:6443" -device virtio-net-pci,netdev=n0 \
  -kernel "$build/vmlinux" -initrd "$build/initrd.img" \
  -append "console=ttyS0 panic=-1 rdinit=/init init=/init quiet lpj=$lpj tsc=reliable no_timer_check mitigations=off 8250.nr_uarts=1 ${APPEND:-}"
