package org.virtiotck.tck.adapter.kvm;

import java.time.Duration;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.adapter.hosted.HostedDevices;

/**
 * {@code kvm:<inner URI>} — the device of the inner URI ({@code reference...} or {@code native:/lib.so...}) hosted
 * behind a KVM vCPU on Linux x86-64. Examples: {@code kvm:reference}, {@code kvm:reference:legacy},
 * {@code kvm:reference?ro=true}, {@code kvm:native:/tmp/libexample_blk.so}.
 *
 * <p>Every call is bounded by a {@link GuardedTarget} (10 s, or {@code -Dvirtio.kvm.callTimeoutMs}), so a hosted
 * device that never returns from an MMIO exit becomes a HANG verdict.
 */
public final class KvmTargetProvider extends SchemeProvider implements TargetProvider {

    public KvmTargetProvider() {
        super("kvm",
                "kvm:<inner URI> with inner " + HostedDevices.usage() + " (Linux x86-64, /dev/kvm)");
    }

    @Override
    public Target open(TargetUri uri) {
        String why = KvmMachine.unavailableReason();
        if (why != null) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "KVM target unavailable: " + why);
        }
        HostedDeviceFactory factory = HostedDevices.factory(HostedDevices.innerOf(uri));
        KvmTarget target;
        try {
            target = new KvmTarget(uri.toString(), factory);
        } catch (RuntimeException e) {
            factory.close();
            if (e instanceof TargetFault) {
                throw e;
            }
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot start the KVM VM: " + e.getMessage(), e);
        }
        long timeoutMs = Long.getLong("virtio.kvm.callTimeoutMs", 10_000);
        return new GuardedTarget(target, Duration.ofMillis(timeoutMs));
    }
}
