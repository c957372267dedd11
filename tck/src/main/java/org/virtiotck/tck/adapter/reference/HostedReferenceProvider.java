package org.virtiotck.tck.adapter.reference;

import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.TargetUri;

/** Lets {@code kvm:} and {@code hvf:} host the reference device ({@code kvm:reference...}). */
public final class HostedReferenceProvider extends SchemeProvider implements HostedDeviceFactory.Provider {
    public HostedReferenceProvider() {
        super("reference", "reference[:modern|:legacy][?reference options]");
    }

    @Override
    public HostedDeviceFactory open(TargetUri inner) {
        return new ReferenceDeviceFactory(inner);
    }
}
