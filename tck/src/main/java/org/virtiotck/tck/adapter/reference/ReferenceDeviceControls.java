package org.virtiotck.tck.adapter.reference;

import java.util.List;
import java.util.function.Supplier;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.HostControl;

/**
 * The reference device's host-side controls and its record of driver-rule violations, as the SPI offers them: for
 * the reference target and for the reference device hosted on a vCPU. Each call goes to the device {@code device}
 * supplies at that moment (a target may have replaced it since).
 */
public final class ReferenceDeviceControls {
    private ReferenceDeviceControls() {}

    public static HostControl host(Supplier<ReferenceBlockDevice> device) {
        return new HostControl() {
            @Override
            public void resizeCapacity(long sectors) {
                device.get().resizeCapacity(sectors);
            }

            @Override
            public byte[] readDisk(long byteOffset, int length) {
                byte[] b = new byte[length];
                device.get().backend().read(byteOffset, b, 0, length);
                return b;
            }

            @Override
            public long diskBytes() {
                return device.get().backend().sizeBytes();
            }
        };
    }

    public static DriverChecker driverChecker(Supplier<ReferenceBlockDevice> device) {
        return new DriverChecker() {
            @Override
            public List<String> violations() {
                return device.get().driverViolations().stream().map(Object::toString).toList();
            }

            @Override
            public void clear() {
                device.get().clearDriverViolations();
            }
        };
    }
}
