package org.virtiotck.device;

/**
 * A device behind a virtio-mmio register window, as a hypervisor's MMIO dispatcher sees it.
 * Offsets are relative to the transport base; {@code width} is 1, 2, 4 or 8 bytes.
 * Implementations never throw on any guest input.
 */
public interface MmioDevice {

    long read(long offset, int width);

    void write(long offset, int width, long value);
}
