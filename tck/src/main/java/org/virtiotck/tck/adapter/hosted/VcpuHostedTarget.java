package org.virtiotck.tck.adapter.hosted;

import java.util.Set;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * A hosted device behind a real vCPU: every register access of the harness is one guest instruction of the
 * requested width, executed by a guest stub on the VM's vCPU, trapped by the hypervisor and dispatched to the
 * device; the device's guest RAM is the memory mapped into the VM and its interrupt line drives the VM's.
 * Subclasses bring the VM (KVM, HVF) and describe it.
 *
 * <p>Guest-memory calls of the harness go straight to the shared RAM, as a guest driver's plain loads and stores
 * would (they never trap). {@link #hardReset()} brings up a fresh device over zeroed RAM; the VM is kept.
 */
public abstract class VcpuHostedTarget<M extends VcpuMachine> extends HostedTargetBase {
    /** The register window the device answers in; any other trapped access is stray. */
    private static final long WINDOW = 0x1000;

    private final M machine;
    private final long mmioBase;
    /** The hypervisor's short name ("KVM"), for reports and adapter errors. */
    private final String hypervisor;
    /** What the hypervisor calls a trapped access, for adapter errors ("MMIO exit(s)"). */
    private final String trapName;
    /** Every trapped access reaches the handler: their count and the last one's width. */
    private long traps;
    private int lastTrapWidth;
    /** An access the guest made that was not the one asked for (should never happen). */
    private String strayAccess;

    protected VcpuHostedTarget(String uri, HostedDeviceFactory factory, M machine, long ramBase, long mmioBase,
                               String hypervisor, String trapName) {
        super(uri, factory, new SegmentGuestMemory(ramBase, machine.ram()), new HostedLine(machine::irqLine),
                mmioBase, machine::close);
        this.machine = machine;
        this.mmioBase = mmioBase;
        this.hypervisor = hypervisor;
        this.trapName = trapName;
        machine.handler(new VcpuMachine.MmioHandler() {
            @Override
            public long read(long gpa, int width) {
                long off = trapped(gpa, width, false);
                return off < 0 ? ~0L : device.read(off, width);
            }

            @Override
            public void write(long gpa, int width, long value) {
                long off = trapped(gpa, width, true);
                if (off >= 0) {
                    device.write(off, width, value);
                }
            }
        });
    }

    /** The VM, for tests and the benchmark (exit counters, irqchip state). */
    public M machine() {
        return machine;
    }

    /** Counts a trapped access; its offset in the register window, or -1 (and a stray access noted) outside. */
    private long trapped(long gpa, int width, boolean write) {
        traps++;
        lastTrapWidth = width;
        long off = gpa - mmioBase;
        if (off < 0 || off >= WINDOW) {
            strayAccess = (write ? "write" : "read") + " of " + width + " bytes at 0x" + Long.toHexString(gpa);
            return -1;
        }
        return off;
    }

    @Override
    protected Set<TargetInfo.Capability> hostCapabilities() {
        return Set.of(TargetInfo.Capability.VCPU);
    }

    @Override
    protected String hostSuffix() {
        return " on " + hypervisor;
    }

    @Override
    public long read(long offset, int width) {
        long before = traps;
        long v;
        try {
            v = machine.guestRead(mmioBase + offset, width);
        } catch (RuntimeException e) {
            throw fault("read", offset, e);
        }
        checkOneTrap(before, "read", offset, width);
        return v;
    }

    @Override
    public void write(long offset, int width, long value) {
        long before = traps;
        try {
            machine.guestWrite(mmioBase + offset, width, value);
        } catch (RuntimeException e) {
            throw fault("write", offset, e);
        }
        checkOneTrap(before, "write", offset, width);
    }

    /** A failing VM is a crash too, reported as the vCPU's (a harness-side problem, not the device's). */
    private static TargetFault fault(String what, long offset, RuntimeException e) {
        return e instanceof VcpuMachine.Failure f ? new TargetFault(TargetFault.Kind.CRASHED, "vCPU failed during "
                + what + " of 0x" + Long.toHexString(offset) + ": " + f.getMessage(), f) : crashed(what, offset, e);
    }

    /** Each harness access must be exactly one trapped access of the requested width: the adapter's promise. */
    private void checkOneTrap(long before, String what, long offset, int width) {
        long made = traps - before;
        if (strayAccess != null || made != 1 || lastTrapWidth != width) {
            String why = "the guest's " + what + " of 0x" + Long.toHexString(offset) + " (" + width + " bytes) made "
                    + made + " " + trapName + ", last of " + lastTrapWidth + " bytes"
                    + (strayAccess != null ? "; stray access: " + strayAccess : "");
            strayAccess = null;
            throw new IllegalStateException(hypervisor + " adapter error: " + why);
        }
    }
}
