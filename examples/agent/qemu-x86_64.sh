#!/usr/bin/env bash
# Certifies QEMU's virtio-blk-device on the x86 microvm machine (TCG by default, AGENT_ACCEL=kvm to try KVM;
# modern transport) through the virtio-tck guest agent: the agent boots through PVH, talks over the 16550 at
# 0x3f8 on a Unix socket, and performs every register access as a load/store of the guest vCPU.
#   examples/agent/qemu-x86_64.sh OUT_DIR [certify options, e.g. --test IdentificationSuite]
# Writes OUT_DIR/run-report.json and the other reports; exits with certify's code (0, 1, or 2).
exec "$(dirname "${BASH_SOURCE[0]}")/certify-qemu.sh" x86_64 "$@"
