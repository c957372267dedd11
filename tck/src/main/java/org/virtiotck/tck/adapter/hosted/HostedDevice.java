package org.virtiotck.tck.adapter.hosted;

import java.util.Optional;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;

/**
 * A device a host adapter (in-process, KVM, HVF) drives: the register window as a hypervisor's MMIO dispatcher sees
 * it, plus what the device can offer the harness besides. The device was created over guest RAM and an interrupt
 * line that belong to the host adapter (see {@link HostedDeviceFactory}).
 */
public interface HostedDevice extends MmioDevice, AutoCloseable {

    /** Host-side controls (resize, disk inspection), when the device offers them. */
    default Optional<HostControl> host() {
        return Optional.empty();
    }

    /** The strict device model's record of driver-rule violations, when it keeps one. */
    default Optional<DriverChecker> driverChecker() {
        return Optional.empty();
    }

    /**
     * Returns the device to its power-on state in place, when it can (a native library exporting
     * vtck_hard_reset); false means the caller must close it and create a new one.
     */
    default boolean resetInPlace() {
        return false;
    }

    /** Releases the device; never throws. */
    @Override
    void close();
}
