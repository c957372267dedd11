package org.example.mydevice;

import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;

/**
 * The second way to name a device: a provider of this project's own, for the URI scheme {@code mydevice:}.
 * The TCK finds it with {@link java.util.ServiceLoader} through
 * {@code src/test/resources/META-INF/services/org.virtiotck.tck.spi.TargetProvider}, and the surefire execution
 * {@code certify-my-device} selects it with {@code virtio.target=mydevice}.
 *
 * <p>A real provider returns its own {@link Target}: register reads and writes of the device at an access width,
 * guest-memory access inside a RAM window, a hard reset, optionally the interrupt line. To keep this example
 * self-contained, "my device" is the TCK's reference device behind a thin {@link MmioDevice} wrapper: every
 * register access the suites make goes through {@link MyDevice}, which is where a Java device model of your own
 * would sit.
 *
 * <p>URIs: {@code mydevice}, {@code mydevice:legacy}, {@code mydevice:?queues=2&ro=true} (the reference device's
 * options; unknown options are rejected).
 */
public final class MyDeviceTargetProvider extends SchemeProvider implements TargetProvider {

    public MyDeviceTargetProvider() {
        super("mydevice", "mydevice[:modern|:legacy][?reference device options] — the example project's own device");
    }

    @Override
    public Target open(TargetUri uri) {
        return new ReferenceTargetProvider().open(uri, MyDevice::new);
    }

    /**
     * "My device": every register access of the TCK lands here. It forwards them to the reference model; a device
     * model of your own overrides {@code read(offset, width)} and {@code write(offset, width, value)}.
     */
    static final class MyDevice extends ForwardingMmioDevice {
        MyDevice(ReferenceBlockDevice model) {
            super(model);
        }
    }
}
