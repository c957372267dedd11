package org.virtiotck.tck.spi;

import java.util.Map;
import java.util.Set;

/**
 * Describes a target for reports: what it is, its version, where its transport lives and what it can do.
 *
 * @param uri            the target URI it was opened from
 * @param name           a human name, e.g. "reference device (modern)" or "QEMU 7.2.0 aarch64 virt"
 * @param version        implementation version, or "unknown"
 * @param transportBase  guest-physical base address of the virtio-mmio register window
 * @param capabilities   what the target offers beyond the required calls
 * @param details        free-form facts worth printing (command lines, image paths, ...)
 */
public record TargetInfo(String uri, String name, String version, long transportBase,
                         Set<Capability> capabilities, Map<String, String> details) {

    public TargetInfo {
        capabilities = Set.copyOf(capabilities);
        details = Map.copyOf(details);
    }

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    public enum Capability {
        /** The interrupt line can be observed directly. */
        IRQ_LINE,
        /** The disk can be resized at run time from the host side. */
        RESIZE,
        /** The disk contents can be read from the host side. */
        DISK_ACCESS,
        /** A strict driver checker records driver-side violations. */
        DRIVER_CHECKER,
        /** Every register access is executed by guest code on a real vCPU. */
        VCPU
    }
}
