package org.virtiotck.tck.adapter.hosted;

import java.lang.foreign.MemorySegment;

/**
 * What a {@link VcpuHostedTarget} needs of a VM (KVM, Hypervisor.framework): one vCPU running a guest stub that
 * performs one access of the requested width per call, guest RAM shared with the device, an MMIO window left
 * unmapped so that every guest access to it traps to the {@link MmioHandler}, and an interrupt line into the guest.
 */
public interface VcpuMachine extends AutoCloseable {

    /** Receives the guest's trapped accesses to the MMIO window (guest-physical addresses). */
    interface MmioHandler {
        long read(long gpa, int width);

        void write(long gpa, int width, long value);
    }

    /** The device's guest RAM, mapped into the VM: the harness and the device share these bytes. */
    MemorySegment ram();

    void handler(MmioHandler handler);

    /** The device's interrupt line, as the hypervisor delivers it to the vCPU. */
    void irqLine(boolean level);

    /** The guest reads {@code width} bytes at {@code gpa}, with one instruction of that width. */
    long guestRead(long gpa, int width);

    /** The guest writes {@code width} bytes at {@code gpa}, with one instruction of that width. */
    void guestWrite(long gpa, int width, long value);

    /** Releases the VM. */
    @Override
    void close();

    /** The VM itself failed (not the device): a harness-side problem the target reports as a crash. */
    abstract class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        protected Failure(String message) {
            super(message);
        }
    }
}
