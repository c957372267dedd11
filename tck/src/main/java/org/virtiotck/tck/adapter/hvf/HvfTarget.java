package org.virtiotck.tck.adapter.hvf;

import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.adapter.hosted.VcpuHostedTarget;

/**
 * A hosted device behind an arm64 vCPU: every register access of the harness is one guest instruction of the
 * requested width, executed by the {@link HvfGuestStub} on an arm64 vCPU of Hypervisor.framework (or the simulated
 * backend), trapped as a data abort, decoded from the syndrome and dispatched to the device; the device's guest RAM
 * is the memory mapped into the VM with hv_vm_map; its interrupt line is made pending on the vCPU as an IRQ
 * (hv_vcpu_set_pending_interrupt) and the guest reads it from ISR_EL1 after every access.
 */
public final class HvfTarget extends VcpuHostedTarget<HvfMachine> {

    public HvfTarget(HvfPlatform platform, String uri, HostedDeviceFactory factory) {
        super(uri, factory, new HvfMachine(platform, factory.ramBytes()), HvfGuestStub.RAM_BASE, HvfGuestStub.MMIO_BASE,
                "HVF", "data abort(s)");
    }

    @Override
    protected String hostDetail() {
        return machine().platformName() + " arm64 vCPU at EL1, MMU off; MMIO window unmapped at 0x"
                + Long.toHexString(HvfGuestStub.MMIO_BASE) + ", guest RAM at 0x"
                + Long.toHexString(HvfGuestStub.RAM_BASE) + ", interrupt as a pending vCPU IRQ";
    }

    /** Whether the guest saw an IRQ pending (ISR_EL1.I) after its last access. */
    public boolean guestSawIrq() {
        return (machine().guestIsr() & HvfGuestStub.ISR_IRQ) != 0;
    }
}
