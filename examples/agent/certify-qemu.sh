#!/usr/bin/env bash
# Shared body of qemu-aarch64.sh and qemu-x86_64.sh: certify QEMU's virtio-blk-device through the guest agent.
#   certify-qemu.sh aarch64|x86_64 OUT_DIR [certify options...]
# Environment: AGENT_ACCEL=tcg|kvm (default tcg), AGENT_MEMORY=ramfile|serial (default ramfile: guest memory
# through QEMU's shared RAM file; serial: everything over the agent's UART, much slower), VIRTIO_TCK (the
# command that runs the kit's CLI; default ./virtio-tck, which builds the jar on first use).
# Exit code: certify's (0 certified, 1 not certified, 2 usage or environment error).
set -euo pipefail
arch="${1:?usage: certify-qemu.sh aarch64|x86_64 OUT_DIR [certify options...]}"
out="${2:?usage: $(basename "$0") OUT_DIR [certify options...]}"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
accel="${AGENT_ACCEL:-tcg}"
memory="${AGENT_MEMORY:-ramfile}"
case "$arch" in
  aarch64) qemu=qemu-system-aarch64 cc=aarch64-linux-gnu-gcc ram_base=0x40000000 ;;
  x86_64) qemu=qemu-system-x86_64 cc=gcc ram_base=0x0 ;;
  *) echo "certify-qemu.sh: unknown arch '$arch'" >&2; exit 2 ;;
esac
command -v "$qemu" >/dev/null || { echo "$(basename "$0"): $qemu is not installed (Debian: apt-get install qemu-system-arm qemu-system-x86)" >&2; exit 2; }
command -v "$cc" >/dev/null || { echo "$(basename "$0"): $cc is not installed; it builds the agent (Debian: apt-get install gcc-aarch64-linux-gnu)" >&2; exit 2; }
make -s -C "$root/agent" OUT=target "$arch" >&2 || { echo "$(basename "$0"): building the agent failed" >&2; exit 2; }

mkdir -p "$out"
vm="$(mktemp -d /tmp/virtio-agent.XXXXXX)"
trap 'rm -rf "$vm"' EXIT
uri="agent:unix:$vm/serial.sock?arch=$arch&image=$vm/disk.raw&qmp=$vm/qmp.sock&launch=$root/examples/agent/qemu-launch.sh+$arch+$vm+$accel+$memory"
if [ "$memory" = ramfile ]; then
  uri="$uri&ram-file=$vm/ram@$ram_base"
fi
echo "$(basename "$0"): target $uri" >&2
set +e
${VIRTIO_TCK:-"$root/virtio-tck"} certify --target "$uri" --waivers "$root/waivers/qemu-7.2-modern.txt" --out "$out" "$@"
rc=$?
set -e
exit $rc
