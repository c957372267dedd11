package org.virtiotck.tck.target.kvm;

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
 * requested width, executed by the {@link KvmGuestStub} on a KVM vCPU, trapped as KVM_EXIT_MMIO and dispatched to
 * the device; the device's guest RAM is the memory KVM maps into the VM; its interrupt line drives the in-kernel
 * 8259 (IRQ 5) and the guest takes the interrupt in its handler.
 *
 * <p>Guest-memory calls of the harness go straight to the shared RAM, as a guest driver's plain loads and stores
 * would (they never trap). {@link #hardReset()} brings up a fresh device over zeroed RAM; the VM is kept.
 */
public final class KvmTarget implements Target {
    private final String uri;
    private final HostedDeviceFactory factory;
    private final KvmMachine machine;
    private final SegmentGuestMemory memory;
    private final HostedLine line;
    private HostedDevice device;
    /** An access the guest made that was not the one asked for (should never happen). */
    private String strayAccess;
    private long deviceReads;
    private long deviceWrites;

    public KvmTarget(String uri, HostedDeviceFactory factory) {
        this.uri = uri;
        this.factory = factory;
        this.machine = new KvmMachine(factory.ramBytes());
        this.line = new HostedLine(machine::irqLine);
        this.memory = new SegmentGuestMemory(KvmGuestStub.RAM_BASE, machine.ram());
        machine.handler(new KvmMachine.MmioHandler() {
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
        long off = gpa - KvmGuestStub.MMIO_BASE;
        if (off < 0 || off >= 0x1000) {
            strayAccess = (write ? "write" : "read") + " of " + width + " bytes at 0x" + Long.toHexString(gpa);
            return -1;
        }
        return off;
    }

    /** The VM, for tests and the benchmark (exit counters, irqchip state). */
    public KvmMachine machine() {
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
        details.put("host", "KVM x86-64 vCPU, long mode; MMIO window unmapped at 0x"
                + Long.toHexString(KvmGuestStub.MMIO_BASE) + ", guest RAM at 0x" + Long.toHexString(KvmGuestStub.RAM_BASE)
                + ", interrupt on 8259 IRQ " + KvmGuestStub.IRQ);
        return new TargetInfo(uri, factory.name() + " on KVM", factory.version(), KvmGuestStub.MMIO_BASE, caps,
                details);
    }

    @Override
    public long read(long offset, int width) {
        long before = machine.mmioExits();
        long v;
        try {
            v = machine.guestRead(KvmGuestStub.MMIO_BASE + offset, width);
        } catch (KvmMachine.KvmError e) {
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
        long before = machine.mmioExits();
        try {
            machine.guestWrite(KvmGuestStub.MMIO_BASE + offset, width, value);
        } catch (KvmMachine.KvmError e) {
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
        long exits = machine.mmioExits() - before;
        if (strayAccess != null || exits != 1 || machine.lastMmioLen() != width) {
            String why = "the guest's " + what + " of 0x" + Long.toHexString(offset) + " (" + width + " bytes) made "
                    + exits + " MMIO exit(s), last of " + machine.lastMmioLen() + " bytes"
                    + (strayAccess != null ? "; stray access: " + strayAccess : "");
            strayAccess = null;
            throw new IllegalStateException("KVM adapter error: " + why);
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

    /** Interrupts the guest has taken in its handler since the VM was created. */
    public long guestInterrupts() {
        return machine.guestInterrupts();
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
