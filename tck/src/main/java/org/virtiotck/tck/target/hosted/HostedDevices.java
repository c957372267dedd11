package org.virtiotck.tck.target.hosted;

import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.target.nativelib.NativeDeviceFactory;

/** Turns an inner target URI (what {@code kvm:} or {@code hvf:} wraps) into a device factory. */
public final class HostedDevices {
    public static final String USAGE = "reference[:modern|:legacy][?reference options] | native:/path/lib.so[?config=TEXT&ram=BYTES]";

    private HostedDevices() {}

    public static HostedDeviceFactory factory(String innerUri) {
        if (innerUri == null || innerUri.isBlank()) {
            throw new TargetUriException("missing inner target URI; expected " + USAGE);
        }
        TargetUri inner = TargetUri.parse(innerUri);
        return switch (inner.scheme()) {
            case "reference" -> new ReferenceDeviceFactory(inner);
            case "native" -> NativeDeviceFactory.open(inner);
            default -> throw new TargetUriException("cannot host '" + inner.scheme() + "' devices on a vCPU; inner URI "
                    + "must be " + USAGE);
        };
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
