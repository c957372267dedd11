package org.virtiotck.tck.sensitivity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.virtiotck.tck.spi.DriverChecker;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.target.reference.ReferenceTargetProvider;

/**
 * {@code broken:<variant>[:modern|:legacy][?<reference options>]} — the reference device behind one of the
 * deliberately broken decorators of {@link BrokenDevices} (test scope only).
 */
public final class BrokenTargetProvider implements TargetProvider {

    @Override
    public String scheme() {
        return "broken";
    }

    @Override
    public String usage() {
        return "broken:<variant>[:modern|:legacy][?reference options] with variant one of "
                + String.join(", ", BrokenDevices.all().keySet()) + ", "
                + String.join(", ", LivenessBrokenDevices.all().keySet()) + ", "
                + String.join(", ", HostileBrokenDevices.all().keySet());
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
        StringBuilder ref = new StringBuilder("reference");
        if (!refPath.isEmpty()) {
            ref.append(':').append(refPath);
        }
        String sep = "?";
        for (Map.Entry<String, String> e : options.entrySet()) {
            ref.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            sep = "&";
        }
        AtomicReference<Target> self = new AtomicReference<>();
        BrokenDevices.Variant v = variant;
        Target reference = new ReferenceTargetProvider().open(TargetUri.parse(ref.toString()),
                device -> v.decorator().apply(new BrokenDevices.Context(device, self::get)));
        Target broken = new Broken(uri.toString(), variant, reference);
        self.set(reference);
        // The hostile variants hang or throw on purpose: every call is bounded, as for an untrusted native device.
        return guarded ? new GuardedTarget(broken, Duration.ofMillis(Long.getLong("virtio.timeout.ms", 5_000L)))
                : broken;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The reference target under its broken name; everything else is the reference target's. */
    private record Broken(String uri, BrokenDevices.Variant variant, Target inner) implements Target {
        @Override
        public TargetInfo info() {
            TargetInfo i = inner.info();
            Map<String, String> details = new LinkedHashMap<>(i.details());
            details.put("broken", variant.name() + ": " + variant.breaks());
            return new TargetInfo(uri, "deliberately broken " + i.name() + " [" + variant.name() + "]",
                    i.version(), i.transportBase(), i.capabilities(), details);
        }

        @Override
        public long read(long offset, int width) {
            return inner.read(offset, width);
        }

        @Override
        public void write(long offset, int width, long value) {
            inner.write(offset, width, value);
        }

        @Override
        public MemoryWindow ram() {
            return inner.ram();
        }

        @Override
        public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
            inner.readMemory(gpa, dst, dstOffset, length);
        }

        @Override
        public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
            inner.writeMemory(gpa, src, srcOffset, length);
        }

        @Override
        public Optional<InterruptObserver> interrupts() {
            return inner.interrupts();
        }

        @Override
        public Optional<HostControl> host() {
            return inner.host();
        }

        @Override
        public Optional<DriverChecker> driverChecker() {
            return inner.driverChecker();
        }

        @Override
        public void hardReset() {
            inner.hardReset();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
