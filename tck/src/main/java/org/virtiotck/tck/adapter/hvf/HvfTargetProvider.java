package org.virtiotck.tck.adapter.hvf;

import java.time.Duration;
import java.util.Locale;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.adapter.hosted.HostedDevices;

/**
 * {@code hvf:<inner URI>} — the inner device ({@code reference...} or {@code native:/lib.dylib...}) behind an arm64
 * vCPU of Hypervisor.framework (macOS on Apple Silicon). With {@code -Dvirtio.hvf.backend=simulated} the same VMM
 * runs over {@link SimulatedHvf} on any machine (to test the VMM logic, not a hypervisor).
 */
public final class HvfTargetProvider extends SchemeProvider implements TargetProvider {
    public static final String BACKEND_PROPERTY = "virtio.hvf.backend";

    public HvfTargetProvider() {
        super("hvf",
                "hvf:<inner URI> with inner " + HostedDevices.usage() + " (macOS arm64; -D" + BACKEND_PROPERTY
                + "=simulated elsewhere)");
    }

    static HvfPlatform platform() {
        String backend = System.getProperty(BACKEND_PROPERTY, "framework").toLowerCase(Locale.ROOT);
        if (backend.equals("simulated")) {
            return new SimulatedHvf();
        }
        String why = HypervisorFramework.unavailableReason();
        if (why != null) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "HVF target unavailable: " + why
                    + " (-D" + BACKEND_PROPERTY + "=simulated runs the VMM over an A64 interpreter)");
        }
        return new HypervisorFramework();
    }

    @Override
    public Target open(TargetUri uri) {
        HvfPlatform platform = platform();
        HostedDeviceFactory factory = HostedDevices.factory(HostedDevices.innerOf(uri));
        HvfTarget target;
        try {
            target = new HvfTarget(platform, uri.toString(), factory);
        } catch (RuntimeException e) {
            factory.close();
            if (e instanceof TargetFault) {
                throw e;
            }
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot start the HVF VM: " + e.getMessage(), e);
        }
        return new GuardedTarget(target, Duration.ofMillis(Long.getLong("virtio.hvf.callTimeoutMs", 10_000)));
    }
}
