package org.virtiotck.tck.sensitivity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;

/**
 * {@code broken:<variant>[:modern|:legacy][?<reference options>]} — the reference device behind one of the
 * deliberately broken decorators of {@link BrokenDevices} (test scope only).
 */
public final class BrokenTargetProvider extends SchemeProvider implements TargetProvider {

    public BrokenTargetProvider() {
        super("broken",
                "broken:<variant>[:modern|:legacy][?reference options] with variant one of "
                + String.join(", ", BrokenDevices.all().keySet()) + ", "
                + String.join(", ", LivenessBrokenDevices.all().keySet()) + ", "
                + String.join(", ", HostileBrokenDevices.all().keySet()));
    }

    @Override
    public Target open(TargetUri uri) {
        String path = uri.path();
        int colon = path.indexOf(':');
        String name = colon >= 0 ? path.substring(0, colon) : path;
        String refPath = colon >= 0 ? path.substring(colon + 1) : "";
        BrokenDevices.Variant variant = BrokenDevices.get(name);
        boolean guarded = false;
        if (variant == null) {
            variant = LivenessBrokenDevices.get(name);
        }
        if (variant == null) {
            variant = HostileBrokenDevices.get(name);
            guarded = variant != null;
        }
        if (variant == null) {
            throw new TargetUriException("unknown broken variant '" + name + "'; " + usage());
        }
        Map<String, String> options = variant.options().apply(new LinkedHashMap<>(uri.options()));
        String ref = refPath.isEmpty() ? "reference" : "reference:" + refPath;
        AtomicReference<Target> self = new AtomicReference<>();
        BrokenDevices.Variant v = variant;
        Target reference = new ReferenceTargetProvider().open(TargetUri.of(ref, options),
                device -> v.decorator().apply(new BrokenDevices.Context(device, self::get)));
        Target broken = new Broken(uri.toString(), variant, reference);
        self.set(reference);
        // The hostile variants hang or throw on purpose: every call is bounded, as for an untrusted native device.
        return guarded ? new GuardedTarget(broken, Duration.ofMillis(Long.getLong("virtio.timeout.ms", 5_000L)))
                : broken;
    }

    /** The reference target under its broken name; everything else is the reference target's. */
    private static final class Broken extends ForwardingTarget {
        private final String uri;
        private final BrokenDevices.Variant variant;

        Broken(String uri, BrokenDevices.Variant variant, Target inner) {
            super(inner);
            this.uri = uri;
            this.variant = variant;
        }

        @Override
        public TargetInfo info() {
            TargetInfo i = inner.info();
            Map<String, String> details = new LinkedHashMap<>(i.details());
            details.put("broken", variant.name() + ": " + variant.breaks());
            return new TargetInfo(uri, "deliberately broken " + i.name() + " [" + variant.name() + "]",
                    i.version(), i.transportBase(), i.capabilities(), details);
        }
    }
}
