package org.virtiotck.tck.adapter.reference;

import org.virtiotck.tck.adapter.hosted.HostedDeviceFactory;
import org.virtiotck.tck.spi.TargetUri;

/** Lets {@code kvm:} and {@code hvf:} host the reference device ({@code kvm:reference...}). */
public final class HostedReferenceProvider implements HostedDeviceFactory.Provider {
    @Override
    public String scheme() {
        return "reference";
    }

    @Override
    public String usage() {
        return "reference[:modern|:legacy][?reference options]";
    }

    @Override
    public HostedDeviceFactory open(TargetUri inner) {
        return new ReferenceDeviceFactory(inner);
    }
}
