package org.virtiotck.device;

/**
 * A register window that hands every access to another device; a wrapper extends it and overrides only the
 * accesses it changes (breaking a behaviour on purpose, snooping the queue layout, putting a model of its own in
 * front).
 */
public class ForwardingMmioDevice implements MmioDevice {
    private final MmioDevice inner;

    public ForwardingMmioDevice(MmioDevice inner) {
        this.inner = inner;
    }

    @Override
    public long read(long offset, int width) {
        return inner.read(offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        inner.write(offset, width, value);
    }
}
