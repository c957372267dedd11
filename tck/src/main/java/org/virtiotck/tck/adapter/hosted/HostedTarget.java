package org.virtiotck.tck.adapter.hosted;

import java.lang.foreign.Arena;
import org.virtiotck.memory.SegmentGuestMemory;

/**
 * A hosted device driven by direct calls in this JVM, over native guest RAM: how the {@code native:} target runs
 * a device library. Wrap it in a {@link org.virtiotck.tck.spi.GuardedTarget} when the device is untrusted.
 */
public final class HostedTarget extends HostedTargetBase {
    /** Same guest-physical layout as the reference target. */
    public static final long TRANSPORT_BASE = 0x0a003e00L;
    public static final long RAM_BASE = 0x40000000L;

    public HostedTarget(String uri, HostedDeviceFactory factory) {
        this(uri, factory, Arena.ofShared());
    }

    private HostedTarget(String uri, HostedDeviceFactory factory, Arena arena) {
        super(uri, factory, SegmentGuestMemory.allocateNative(RAM_BASE, factory.ramBytes(), arena), new HostedLine(),
                TRANSPORT_BASE, () -> {
                    try {
                        arena.close();
                    } catch (RuntimeException ignored) {
                        // a device thread still holding the memory; leave it to the process exit
                    }
                });
    }

    @Override
    protected String hostDetail() {
        return "in-process calls";
    }

    @Override
    public long read(long offset, int width) {
        try {
            return device.read(offset, width);
        } catch (RuntimeException e) {
            throw crashed("read", offset, e);
        }
    }

    @Override
    public void write(long offset, int width, long value) {
        try {
            device.write(offset, width, value);
        } catch (RuntimeException e) {
            throw crashed("write", offset, e);
        }
    }
}
