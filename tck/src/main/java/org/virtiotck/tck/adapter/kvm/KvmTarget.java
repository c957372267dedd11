package org.virtiotck.tck.adapter.kvm;

import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.adapter.hosted.VcpuHostedTarget;

/**
 * A hosted device behind a KVM vCPU: every register access of the harness is one guest instruction of the
 * requested width, executed by the {@link KvmGuestStub} on a KVM vCPU, trapped as KVM_EXIT_MMIO and dispatched to
 * the device; the device's guest RAM is the memory KVM maps into the VM; its interrupt line drives the in-kernel
 * 8259 (IRQ 5) and the guest takes the interrupt in its handler.
 */
public final class KvmTarget extends VcpuHostedTarget<KvmMachine> {

    public KvmTarget(String uri, HostedDeviceFactory factory) {
        super(uri, factory, new KvmMachine(factory.ramBytes()), KvmGuestStub.RAM_BASE, KvmGuestStub.MMIO_BASE, "KVM",
                "MMIO exit(s)");
    }

    @Override
    protected String hostDetail() {
        return "KVM x86-64 vCPU, long mode; MMIO window unmapped at 0x" + Long.toHexString(KvmGuestStub.MMIO_BASE)
                + ", guest RAM at 0x" + Long.toHexString(KvmGuestStub.RAM_BASE) + ", interrupt on 8259 IRQ "
                + KvmGuestStub.IRQ;
    }

    /** Interrupts the guest has taken in its handler since the VM was created. */
    public long guestInterrupts() {
        return machine().guestInterrupts();
    }
}
