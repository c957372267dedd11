#!/usr/bin/env bash
# Starts QEMU with the virtio-tck guest agent as its kernel and one virtio-blk-device (modern transport), the
# same machine configurations the kit's qemu: scheme drives through qtest. Used as the launch= command of an
# agent: target URI (the kit re-runs it when QEMU dies), by qemu-aarch64.sh, qemu-x86_64.sh and the Maven tests.
#
#   qemu-launch.sh aarch64|x86_64 DIR [tcg|kvm] [ramfile|serial]
#
# DIR gets disk.raw (64 MiB, created when missing and kept), serial.sock (the agent's UART: a QEMU chardev
# socket, its fastest serial path), qmp.sock (QMP, for the kit's disk resize) and, with "ramfile" (the default), ram (guest RAM as a shared file, so the kit
# can read and write guest memory without the serial port). Agent images: agent/target (built by Maven or
# `make -C agent OUT=target`; built here when missing). QEMU replaces this shell (exec), so killing this process kills QEMU.
set -euo pipefail
arch="${1:?usage: qemu-launch.sh aarch64|x86_64 DIR [tcg|kvm] [ramfile|serial]}"
dir="${2:?usage: qemu-launch.sh aarch64|x86_64 DIR [tcg|kvm] [ramfile|serial]}"
accel="${3:-tcg}"
memory="${4:-ramfile}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$dir"
[ -f "$dir/disk.raw" ] || truncate -s 64M "$dir/disk.raw"
rm -f "$dir/serial.sock" "$dir/qmp.sock"
ram=(-m 256M)
if [ "$memory" = ramfile ]; then
  ram=(-m 256M -object "memory-backend-file,id=ram0,size=256M,mem-path=$dir/ram,share=on")
fi
case "$arch" in
  aarch64)
    machine=(qemu-system-aarch64 -M virt${ram[2]:+,memory-backend=ram0} -cpu cortex-a57)
    kernel="$root/agent/target/agent-aarch64.img" ;;
  x86_64)
    # QEMU plugs the first -device into the highest of microvm's 24 transports (0xfeb02e00); the kernel command
    # line tells the agent, as Firecracker's does
    machine=(qemu-system-x86_64 -M microvm,isa-serial=on${ram[2]:+,memory-backend=ram0}
             -append "virtio_mmio.device=512@0xfeb02e00:47")
    kernel="$root/agent/target/agent-x86_64.elf" ;;
  *) echo "qemu-launch.sh: unknown arch '$arch' (aarch64, x86_64)" >&2; exit 2 ;;
esac
if [ ! -f "$kernel" ]; then
  make -s -C "$root/agent" OUT=target "$arch" >&2 \
    || { echo "qemu-launch.sh: no agent image $kernel and building it failed (make -C agent OUT=target $arch)" >&2; exit 2; }
fi
exec "${machine[@]}" -accel "$accel" "${ram[@]}" -nodefaults -no-user-config -display none -monitor none \
  -chardev "socket,id=ser,path=$dir/serial.sock,server=on,wait=off" -serial chardev:ser \
  -qmp "unix:$dir/qmp.sock,server=on,wait=off" \
  -kernel "$kernel" \
  -drive "if=none,id=drive0,format=raw,file=$dir/disk.raw" \
  -global virtio-mmio.force-legacy=false -device virtio-blk-device,drive=drive0
