package org.virtiotck.tck.adapter.nativelib;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.hosted.HostedTarget;

/**
 * {@code native:/path/libdevice.so[?config=TEXT&ram=BYTES&callTimeoutMs=N]} — a device library implementing
 * {@code virtio_tck_device.h}, loaded into this JVM and driven by direct calls. Every call goes through a
 * {@link GuardedTarget}, so a device that hangs becomes a HANG verdict; a device that crashes the process takes
 * the JVM with it (run it under {@code kvm:} in a separate JVM, or certify from a forked surefire JVM, when that
 * matters).
 */
public final class NativeTargetProvider extends SchemeProvider implements TargetProvider {

    public NativeTargetProvider() {
        super("native", "native:/path/libdevice.so[?config=TEXT&ram=BYTES&callTimeoutMs=N]");
    }

    @Override
    public Target open(TargetUri uri) {
        long timeoutMs = uri.longValue("callTimeoutMs", 10_000);
        NativeDeviceFactory factory = NativeDeviceFactory.open(withoutOwnOptions(uri));
        return new GuardedTarget(new HostedTarget(uri.toString(), factory), Duration.ofMillis(timeoutMs));
    }

    /** The URI minus the provider's own options, for the factory's unknown-option check. */
    private static TargetUri withoutOwnOptions(TargetUri uri) {
        Map<String, String> options = new LinkedHashMap<>(uri.options());
        options.remove("callTimeoutMs");
        return TargetUri.of("native:" + uri.path(), options);
    }
}
