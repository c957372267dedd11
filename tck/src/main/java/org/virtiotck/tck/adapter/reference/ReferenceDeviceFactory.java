package org.virtiotck.tck.adapter.reference;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.device.InterruptLine;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.adapter.Quietly;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.adapter.hosted.HostedDevice;
import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;

/** The reference device, hosted: {@code reference[:modern|:legacy][?reference options]} as an inner URI. */
public final class ReferenceDeviceFactory implements HostedDeviceFactory {
    private final BlockDeviceConfig config;
    private final long ramBytes;

    public ReferenceDeviceFactory(TargetUri uri) {
        this.config = ReferenceTargetProvider.config(uri);
        this.ramBytes = uri.longValue("ram", 4 << 20);
        uri.rejectUnknown();
        if (ramBytes < (64 << 10) || ramBytes % 4096 != 0) {
            throw new TargetUriException("ram must be a multiple of 4k and at least 64k, got " + ramBytes);
        }
    }

    public BlockDeviceConfig config() {
        return config;
    }

    @Override
    public String name() {
        return "reference device (" + (config.legacy() ? "legacy" : "modern") + ")";
    }

    @Override
    public String version() {
        String v = ReferenceBlockDevice.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public long ramBytes() {
        return ramBytes;
    }

    @Override
    public Set<TargetInfo.Capability> capabilities() {
        return EnumSet.of(TargetInfo.Capability.RESIZE, TargetInfo.Capability.DISK_ACCESS,
                TargetInfo.Capability.DRIVER_CHECKER);
    }

    @Override
    public Map<String, String> details() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("transport", config.legacy() ? "legacy (Version 1)" : "modern (Version 2)");
        d.put("capacitySectors", Long.toString(config.capacitySectors()));
        d.put("queues", Integer.toString(config.numQueues()));
        d.put("ramBytes", Long.toString(ramBytes));
        return d;
    }

    @Override
    public HostedDevice create(SegmentGuestMemory ram, InterruptLine line) {
        return new Hosted(new ReferenceBlockDevice(config, ram, line));
    }

    /** The device's registers as they are, with its host controls and driver-rule record. */
    private static final class Hosted extends ForwardingMmioDevice implements HostedDevice {
        private final ReferenceBlockDevice device;

        Hosted(ReferenceBlockDevice device) {
            super(device);
            this.device = device;
        }

        @Override
        public Optional<HostControl> host() {
            return Optional.of(ReferenceDeviceControls.host(() -> device));
        }

        @Override
        public Optional<DriverChecker> driverChecker() {
            return Optional.of(ReferenceDeviceControls.driverChecker(() -> device));
        }

        @Override
        public void close() {
            Quietly.close(device);
        }
    }
}
