#!/usr/bin/env bash
# Certifies QEMU's virtio-blk-device on the arm virt machine (TCG, modern transport) through the virtio-tck
# guest agent: the agent boots as the guest's kernel, talks over the PL011 on a Unix socket, and performs every
# register access as a load/store of the guest vCPU.
#   examples/agent/qemu-aarch64.sh OUT_DIR [certify options, e.g. --test IdentificationSuite]
# Writes OUT_DIR/run-report.json and the other reports; exits with certify's code (0, 1, or 2).
exec "$(dirname "${BASH_SOURCE[0]}")/certify-qemu.sh" aarch64 "$@"
