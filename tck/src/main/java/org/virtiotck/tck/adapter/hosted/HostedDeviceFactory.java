package org.virtiotck.tck.adapter.hosted;

import java.util.Map;
import java.util.Set;
import org.virtiotck.device.InterruptLine;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * Makes devices for a host adapter. The adapter owns guest RAM (native memory, so a hypervisor can map the very
 * same bytes into a VM) and the interrupt line; the factory builds a device over them, once per power-on.
 */
public interface HostedDeviceFactory extends AutoCloseable {

    /** A human name for reports, e.g. "reference device (modern)". */
    String name();

    String version();

    /** Guest RAM the device needs, in bytes (a multiple of 4096). */
    long ramBytes();

    /** Capabilities besides the interrupt line (RESIZE, DISK_ACCESS, DRIVER_CHECKER). */
    Set<TargetInfo.Capability> capabilities();

    Map<String, String> details();

    /** A fresh device over {@code ram} (native memory) driving {@code line}. */
    HostedDevice create(SegmentGuestMemory ram, InterruptLine line);

    /** Releases what the factory holds (a loaded library); never throws. */
    @Override
    default void close() {}

    /**
     * Opens factories for one inner URI scheme ({@code reference}, {@code native}), found with
     * {@link java.util.ServiceLoader} so that this package depends on no device package (they depend on it).
     */
    interface Provider {
        String scheme();

        /** The inner URI's syntax, for error messages. */
        String usage();

        HostedDeviceFactory open(org.virtiotck.tck.spi.TargetUri inner);
    }
}
