package org.virtiotck.tck.adapter.reference;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.device.InterruptLine;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.memory.DirtyPageMemory;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.adapter.Quietly;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.adapter.hosted.SharedRamTarget;

/**
 * The embedded reference device as a target: register accesses are direct method calls, guest RAM is a heap
 * segment the device and the harness share, and the interrupt line is observed exactly.
 *
 * <p>The device can be wrapped ({@code decorator}) so tests can certify deliberately broken variants.
 */
public final class ReferenceTarget extends SharedRamTarget {
    /** Where the transport pretends to live; the same slot QEMU's arm virt machine gives a plugged device. */
    public static final long TRANSPORT_BASE = 0x0a003e00L;
    public static final long RAM_BASE = 0x40000000L;

    private final String uri;
    private final BlockDeviceConfig config;
    private final int ramBytes;
    private final Function<ReferenceBlockDevice, MmioDevice> decorator;
    private final Line line = new Line();
    /** The RAM as the device sees it: every write is tracked, so a hard reset zeroes only what was written. */
    private final DirtyPageMemory ram;
    private ReferenceBlockDevice device;
    private MmioDevice bus;

    public ReferenceTarget(String uri, BlockDeviceConfig config, int ramBytes,
                           Function<ReferenceBlockDevice, MmioDevice> decorator) {
        super(SegmentGuestMemory.allocate(RAM_BASE, ramBytes));
        this.ram = new DirtyPageMemory(memory);
        this.uri = uri;
        this.config = config;
        this.ramBytes = ramBytes;
        this.decorator = decorator;
        powerOn();
    }

    private void powerOn() {
        line.reset();
        device = new ReferenceBlockDevice(config, ram, line);
        bus = decorator.apply(device);
    }

    /** Whether the bus is the reference device itself, with no decorator (such as a deliberately broken variant)
     * in front of it. */
    public boolean undecorated() {
        return bus == device;
    }

    /** The device behind the target, for tests of the harness itself. */
    public ReferenceBlockDevice device() {
        return device;
    }

    /** The interrupt line the device drives; decorators that break interrupt delivery interpose here. */
    public InterruptLine line() {
        return line;
    }

    @Override
    public TargetInfo info() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("transport", config.legacy() ? "legacy (Version 1)" : "modern (Version 2)");
        details.put("capacitySectors", Long.toString(config.capacitySectors()));
        details.put("queues", Integer.toString(config.numQueues()));
        details.put("ramBytes", Integer.toString(ramBytes));
        return new TargetInfo(uri, "reference device (" + (config.legacy() ? "legacy" : "modern") + ")",
                version(), TRANSPORT_BASE,
                EnumSet.of(TargetInfo.Capability.IRQ_LINE, TargetInfo.Capability.RESIZE,
                        TargetInfo.Capability.DISK_ACCESS, TargetInfo.Capability.DRIVER_CHECKER),
                details);
    }

    private static String version() {
        String v = ReferenceBlockDevice.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public long read(long offset, int width) {
        try {
            return bus.read(offset, width);
        } catch (RuntimeException e) {
            throw crashed("read of 0x" + Long.toHexString(offset), e);
        }
    }

    @Override
    public void write(long offset, int width, long value) {
        try {
            bus.write(offset, width, value);
        } catch (RuntimeException e) {
            throw crashed("write of 0x" + Long.toHexString(offset), e);
        }
    }

    /** A device that throws has crashed, as far as a guest could tell (the reference device never does). */
    private static TargetFault crashed(String what, RuntimeException e) {
        return e instanceof TargetFault tf ? tf
                : new TargetFault(TargetFault.Kind.CRASHED, "device threw during " + what + ": " + e, e);
    }

    @Override
    public Optional<InterruptObserver> interrupts() {
        return Optional.of(line);
    }

    @Override
    public Optional<HostControl> host() {
        return Optional.of(ReferenceDeviceControls.host(this::device));
    }

    @Override
    public Optional<DriverChecker> driverChecker() {
        return Optional.of(ReferenceDeviceControls.driverChecker(this::device));
    }

    @Override
    public void hardReset() {
        device.close();
        // The same RAM, zeroed where it was written: a fresh array of several MiB each time costs a fuzzer more
        // (allocation, zeroing, collection) than the runs between two hard resets.
        ram.zeroWritten();
        powerOn();
    }

    @Override
    protected void harnessWrote(long gpa, int length) {
        ram.markWritten(gpa, length);
    }

    @Override
    public void close() {
        Quietly.close(device);
    }

    /**
     * The device's interrupt line. The reference device works synchronously, so the level is final by the time
     * a register write returns and a wait never needs to sleep.
     */
    static final class Line implements InterruptLine, InterruptObserver {
        private volatile boolean level;
        private volatile long edges;

        void reset() {
            level = false;
            edges = 0;
        }

        @Override
        public void setLevel(boolean asserted) {
            if (asserted && !level) {
                edges++;
            }
            level = asserted;
        }

        @Override
        public boolean asserted() {
            return level;
        }

        @Override
        public boolean awaitAsserted(Duration timeout) {
            return level;
        }

        @Override
        public long risingEdges() {
            return edges;
        }
    }
}
