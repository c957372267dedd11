package org.virtiotck.tck.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link TargetProvider} for a URI's scheme and opens the target. */
public final class Targets {
    /** System property that selects the target for the suites; the default is the embedded reference device. */
    public static final String TARGET_PROPERTY = "virtio.target";
    public static final String DEFAULT_TARGET = "reference";

    private Targets() {}

    public static List<TargetProvider> providers() {
        List<TargetProvider> all = new ArrayList<>();
        ServiceLoader.load(TargetProvider.class, Targets.class.getClassLoader()).forEach(all::add);
        return all;
    }

    public static TargetProvider provider(String scheme) {
        List<TargetProvider> all = providers();
        for (TargetProvider p : all) {
            if (p.scheme().equals(scheme)) {
                return p;
            }
        }
        List<String> known = all.stream().map(TargetProvider::scheme).sorted().toList();
        throw new TargetUriException("unknown target scheme '" + scheme + "' (known: " + String.join(", ", known) + ")");
    }

    public static Target open(String uri) {
        TargetUri parsed = TargetUri.parse(uri);
        return provider(parsed.scheme()).open(parsed);
    }

}
