package org.virtiotck.tck.target.hvf;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.memory.GuestMemoryFault;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.target.hosted.HostedDevice;
import org.virtiotck.tck.target.hosted.HostedDeviceFactory;
import org.virtiotck.tck.target.hosted.HostedLine;

/**
 * A hosted device behind a real vCPU: every register access of the harness is one guest instruction of the
 * requested width, executed by the {@link HvfGuestStub} on an arm64 vCPU of Hypervisor.framework (or the simulated
 * backend), trapped as a data abort, decoded from the syndrome and dispatched to the device; the device's guest RAM
 * is the memory mapped into the VM with hv_vm_map; its interrupt line is made pending on the vCPU as an IRQ
 * (hv_vcpu_set_pending_interrupt) and the guest reads it from ISR_EL1 after every access.
 *
 * <p>Guest-memory calls of the harness go straight to the shared RAM, as a guest driver's plain loads and stores
 * would (they never trap). {@link #hardReset()} brings up a fresh device over zeroed RAM; the VM is kept.
 */
public final class HvfTarget implements Target {
    private final String uri;
    private final HostedDeviceFactory factory;
    private final HvfMachine machine;
    private final SegmentGuestMemory memory;
    private final HostedLine line;
    private HostedDevice device;
    /** An access the guest made that was not the one asked for (should never happen). */
    private String strayAccess;
    private long deviceReads;
    private long deviceWrites;

    public HvfTarget(HvfPlatform platform, String uri, HostedDeviceFactory factory) {
        this.uri = uri;
        this.factory = factory;
        this.machine = new HvfMachine(platform, factory.ramBytes());
        this.line = new HostedLine(machine::irqLine);
        this.memory = new SegmentGuestMemory(HvfGuestStub.RAM_BASE, machine.ram());
        machine.handler(new HvfMachine.MmioHandler() {
            @Override
            public long read(long gpa, int width) {
                long off = offsetOf(gpa, width, false);
                deviceReads++;
                return off < 0 ? ~0L : device.read(off, width);
            }

            @Override
            public void write(long gpa, int width, long value) {
                long off = offsetOf(gpa, width, true);
                deviceWrites++;
                if (off >= 0) {
                    device.write(off, width, value);
                }
            }
        });
        try {
            this.device = factory.create(memory, line);
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    private long offsetOf(long gpa, int width, boolean write) {
        long off = gpa - HvfGuestStub.MMIO_BASE;
        if (off < 0 || off >= 0x1000) {
            strayAccess = (write ? "write" : "read") + " of " + width + " bytes at 0x" + Long.toHexString(gpa);
            return -1;
        }
        return off;
    }

    /** The VM, for tests and the benchmark (exit counters, irqchip state). */
    public HvfMachine machine() {
        return machine;
    }

    public HostedDevice device() {
        return device;
    }

    @Override
    public TargetInfo info() {
        Set<TargetInfo.Capability> caps = EnumSet.of(TargetInfo.Capability.IRQ_LINE, TargetInfo.Capability.VCPU);
        caps.addAll(factory.capabilities());
        Map<String, String> details = new LinkedHashMap<>(factory.details());
        details.put("host", machine.platformName() + " arm64 vCPU at EL1, MMU off; MMIO window unmapped at 0x"
                + Long.toHexString(HvfGuestStub.MMIO_BASE) + ", guest RAM at 0x" + Long.toHexString(HvfGuestStub.RAM_BASE)
                + ", interrupt as a pending vCPU IRQ");
        return new TargetInfo(uri, factory.name() + " on HVF", factory.version(), HvfGuestStub.MMIO_BASE, caps,
                details);
    }

    @Override
    public long read(long offset, int width) {
        long before = machine.dataAborts();
        long v;
        try {
            v = machine.guestRead(HvfGuestStub.MMIO_BASE + offset, width);
        } catch (HvfMachine.HvfError e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "vCPU failed during read of 0x" + Long.toHexString(offset)
                    + ": " + e.getMessage(), e);
        } catch (TargetFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "device threw during read of 0x"
                    + Long.toHexString(offset) + ": " + e, e);
        }
        checkOneExit(before, "read", offset, width);
        return v;
    }

    @Override
    public void write(long offset, int width, long value) {
        long before = machine.dataAborts();
        try {
            machine.guestWrite(HvfGuestStub.MMIO_BASE + offset, width, value);
        } catch (HvfMachine.HvfError e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "vCPU failed during write of 0x"
                    + Long.toHexString(offset) + ": " + e.getMessage(), e);
        } catch (TargetFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "device threw during write of 0x"
                    + Long.toHexString(offset) + ": " + e, e);
        }
        checkOneExit(before, "write", offset, width);
    }

    /** Each harness access must be exactly one trapped access of the requested width: the adapter's promise. */
    private void checkOneExit(long before, String what, long offset, int width) {
        long exits = machine.dataAborts() - before;
        if (strayAccess != null || exits != 1 || machine.lastAbort().width() != width) {
            String why = "the guest's " + what + " of 0x" + Long.toHexString(offset) + " (" + width + " bytes) made "
                    + exits + " data abort(s), last of " + machine.lastAbort().width() + " bytes"
                    + (strayAccess != null ? "; stray access: " + strayAccess : "");
            strayAccess = null;
            throw new IllegalStateException("HVF adapter error: " + why);
        }
    }

    @Override
    public MemoryWindow ram() {
        return new MemoryWindow(memory.base(), memory.size());
    }

    @Override
    public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        try {
            memory.read(gpa, dst, dstOffset, length);
        } catch (GuestMemoryFault e) {
            throw new TargetFault(TargetFault.Kind.PROTOCOL, "harness read outside guest RAM: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        try {
            memory.write(gpa, src, srcOffset, length);
        } catch (GuestMemoryFault e) {
            throw new TargetFault(TargetFault.Kind.PROTOCOL, "harness write outside guest RAM: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<InterruptObserver> interrupts() {
        return Optional.of(line);
    }

    /** Whether the guest saw an IRQ pending (ISR_EL1.I) after its last access. */
    public boolean guestSawIrq() {
        return (machine.guestIsr() & HvfGuestStub.ISR_IRQ) != 0;
    }

    @Override
    public Optional<HostControl> host() {
        return device.host();
    }

    @Override
    public Optional<DriverChecker> driverChecker() {
        return device.driverChecker();
    }

    @Override
    public void hardReset() {
        line.reset();
        memory.fill(memory.base(), memory.size(), (byte) 0);
        if (!device.resetInPlace()) {
            device.close();
            line.reset();
            device = factory.create(memory, line);
        }
    }

    @Override
    public void close() {
        try {
            device.close();
        } catch (RuntimeException ignored) {
            // closing never throws
        }
        factory.close();
        machine.close();
    }
}
