package org.virtiotck.tck.adapter.hosted;

import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Turns an inner target URI (what {@code kvm:} or {@code hvf:} wraps) into a device factory. */
public final class HostedDevices {
    private HostedDevices() {}

    /** The inner URIs that can be hosted, e.g. "reference[...] | native:/path/lib.so[...]". */
    public static String usage() {
        return ServiceLoader.load(HostedDeviceFactory.Provider.class).stream()
                .map(p -> p.get().usage()).sorted(java.util.Comparator.reverseOrder())
                .collect(Collectors.joining(" | "));
    }

    public static HostedDeviceFactory factory(String innerUri) {
        if (innerUri == null || innerUri.isBlank()) {
            throw new TargetUriException("missing inner target URI; expected " + usage());
        }
        TargetUri inner = TargetUri.parse(innerUri);
        for (HostedDeviceFactory.Provider p : ServiceLoader.load(HostedDeviceFactory.Provider.class)) {
            if (p.scheme().equals(inner.scheme())) {
                return p.open(inner);
            }
        }
        throw new TargetUriException("cannot host '" + inner.scheme() + "' devices on a vCPU; inner URI must be "
                + usage());
    }

    /**
     * The inner URI of a wrapping URI such as {@code kvm:reference:legacy?ro=true}: everything after the first
     * colon, query included.
     */
    public static String innerOf(TargetUri outer) {
        String text = outer.toString();
        int colon = text.indexOf(':');
        int q = text.indexOf('?');
        if (colon < 0 || (q >= 0 && q < colon)) {
            return "";
        }
        return text.substring(colon + 1);
    }
}
