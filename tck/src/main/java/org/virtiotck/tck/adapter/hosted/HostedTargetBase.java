package org.virtiotck.tck.adapter.hosted;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.adapter.Quietly;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * A target around a hosted device that runs in this process, over guest RAM and an interrupt line the target owns:
 * what every host adapter (in-process calls, KVM, HVF) has in common. Subclasses add how the harness's register
 * accesses reach the device ({@link #read}, {@link #write}) and describe the host ({@link #hostDetail()}).
 *
 * <p>{@link #hardReset()} brings up a fresh device over zeroed RAM; the host (VM, memory) is kept.
 */
public abstract class HostedTargetBase extends SharedRamTarget {
    private final String uri;
    private final HostedDeviceFactory factory;
    private final long transportBase;
    /** Releases the host (a VM, an arena) after the device and the factory; runs once, on close. */
    private final Runnable releaseHost;
    protected final HostedLine line;
    protected HostedDevice device;

    /**
     * Powers on a device from {@code factory} over {@code memory} and {@code line}; when that fails, releases the
     * host before rethrowing.
     */
    protected HostedTargetBase(String uri, HostedDeviceFactory factory, SegmentGuestMemory memory, HostedLine line,
                               long transportBase, Runnable releaseHost) {
        super(memory);
        this.uri = uri;
        this.factory = factory;
        this.transportBase = transportBase;
        this.releaseHost = releaseHost;
        this.line = line;
        try {
            this.device = factory.create(memory, line);
        } catch (RuntimeException e) {
            releaseHost.run();
            throw e;
        }
    }

    /** The device, for direct calls (the benchmark's baseline) and tests. */
    public HostedDevice device() {
        return device;
    }

    /** The host, for reports: goes into the target's details as {@code host}. */
    protected abstract String hostDetail();

    /** Capabilities the host adds to the interrupt line and the device's own. */
    protected Set<TargetInfo.Capability> hostCapabilities() {
        return Set.of();
    }

    /** Appended to the device's name in reports, e.g. " on KVM". */
    protected String hostSuffix() {
        return "";
    }

    @Override
    public TargetInfo info() {
        Set<TargetInfo.Capability> caps = EnumSet.of(TargetInfo.Capability.IRQ_LINE);
        caps.addAll(hostCapabilities());
        caps.addAll(factory.capabilities());
        Map<String, String> details = new LinkedHashMap<>(factory.details());
        details.put("host", hostDetail());
        return new TargetInfo(uri, factory.name() + hostSuffix(), factory.version(), transportBase, caps, details);
    }

    /** A device that throws has crashed, as far as a guest could tell. */
    protected static TargetFault crashed(String what, long offset, RuntimeException e) {
        return e instanceof TargetFault tf ? tf : new TargetFault(TargetFault.Kind.CRASHED,
                "device threw during " + what + " of 0x" + Long.toHexString(offset) + ": " + e, e);
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
        Quietly.close(device);
        factory.close();
        releaseHost.run();
    }
}
