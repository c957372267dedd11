package org.virtiotck.tck.target.hosted;

import java.lang.foreign.Arena;
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

/**
 * A hosted device driven by direct calls in this JVM, over native guest RAM: how the {@code native:} target runs
 * a device library. Wrap it in a {@link org.virtiotck.tck.spi.GuardedTarget} when the device is untrusted.
 */
public final class HostedTarget implements Target {
    /** Same guest-physical layout as the reference target. */
    public static final long TRANSPORT_BASE = 0x0a003e00L;
    public static final long RAM_BASE = 0x40000000L;

    private final String uri;
    private final HostedDeviceFactory factory;
    private final Arena arena = Arena.ofShared();
    private final SegmentGuestMemory memory;
    private final HostedLine line = new HostedLine();
    private HostedDevice device;

    public HostedTarget(String uri, HostedDeviceFactory factory) {
        this.uri = uri;
        this.factory = factory;
        this.memory = SegmentGuestMemory.allocateNative(RAM_BASE, factory.ramBytes(), arena);
        try {
            this.device = factory.create(memory, line);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The device, for direct calls (the benchmark's baseline). */
    public HostedDevice device() {
        return device;
    }

    @Override
    public TargetInfo info() {
        Set<TargetInfo.Capability> caps = EnumSet.of(TargetInfo.Capability.IRQ_LINE);
        caps.addAll(factory.capabilities());
        Map<String, String> details = new LinkedHashMap<>(factory.details());
        details.put("host", "in-process calls");
        return new TargetInfo(uri, factory.name(), factory.version(), TRANSPORT_BASE, caps, details);
    }

    @Override
    public long read(long offset, int width) {
        try {
            return device.read(offset, width);
        } catch (TargetFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "device threw during read of 0x"
                    + Long.toHexString(offset) + ": " + e, e);
        }
    }

    @Override
    public void write(long offset, int width, long value) {
        try {
            device.write(offset, width, value);
        } catch (TargetFault e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "device threw during write of 0x"
                    + Long.toHexString(offset) + ": " + e, e);
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
        try {
            arena.close();
        } catch (RuntimeException ignored) {
            // a device thread still holding the memory; leave it to the process exit
        }
    }
}
