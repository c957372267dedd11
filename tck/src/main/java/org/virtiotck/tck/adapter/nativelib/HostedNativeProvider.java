package org.virtiotck.tck.adapter.nativelib;

import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.TargetUri;

/** Lets {@code kvm:} and {@code hvf:} host a native device library ({@code kvm:native:/path/lib.so...}). */
public final class HostedNativeProvider extends SchemeProvider implements HostedDeviceFactory.Provider {
    public HostedNativeProvider() {
        super("native", "native:/path/lib.so[?config=TEXT&ram=BYTES]");
    }

    @Override
    public HostedDeviceFactory open(TargetUri inner) {
        return NativeDeviceFactory.open(inner);
    }
}
