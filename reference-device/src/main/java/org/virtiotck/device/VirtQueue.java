package org.virtiotck.device;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.SplitRing;

/**
 * Per-queue transport state and split-ring accessors (§2.7, §4.2.2 / §4.2.4). Ring addresses are guest
 * physical; every accessor assumes {@link DescriptorChainValidator#checkQueue} accepted the layout first.
 */
final class VirtQueue {
    final int index;
    /** QueueNumMax: 0 when the queue does not exist (mmio-desc.dev.4). */
    final int maxSize;

    /** QueueNum as last written. */
    int size;
    /** QueueReady as last written (modern; read back verbatim, mmio-desc.dev.5). */
    int readyValue;
    long descAddr;
    long driverAddr;
    long deviceAddr;

    // Legacy layout (§4.2.4): the queue lives at QueuePFN * GuestPageSize with the used ring at QueueAlign.
    int pfn;
    int align;
    boolean alignWritten;

    /** Next available-ring slot the device will consume (free-running u16). */
    int lastAvail;
    /** Used idx the device last published (free-running u16, split-desc.dev.1). */
    int usedIdx;
    /** One-shot driver checks on the ring (avail/used flags) done since the queue was enabled. */
    boolean ringFlagsChecked;
    /** The queue went through a QueueReset since the last device reset, so enabling it after DRIVER_OK is fine. */
    boolean wasQueueReset;

    VirtQueue(int index, int maxSize) {
        this.index = index;
        this.maxSize = maxSize;
    }

    /** Device reset or queue reset: every field back to its default (vq.dev.2, mmio.dev.6, mmio-legacy.dev.5). */
    void reset() {
        size = 0;
        readyValue = 0;
        descAddr = 0;
        driverAddr = 0;
        deviceAddr = 0;
        pfn = 0;
        align = 0;
        alignWritten = false;
        lastAvail = 0;
        usedIdx = 0;
        ringFlagsChecked = false;
    }

    boolean enabled(boolean legacy) {
        return legacy ? pfn != 0 : readyValue != 0;
    }

    /** Legacy: derive the three ring addresses from PFN, page size and alignment (§2.7.2 padding formula). */
    void applyLegacyLayout(long pageSize, long usedAlign) {
        long base = (pfn & 0xffffffffL) * pageSize;
        descAddr = base;
        driverAddr = base + SplitRing.descTableBytes(size);
        deviceAddr = base + SplitRing.legacyUsedOffset(size, usedAlign);
    }

    int availFlags(GuestMemory m) {
        return m.readLe16(driverAddr);
    }

    int availIdx(GuestMemory m) {
        return m.readLe16(driverAddr + 2);
    }

    int availRing(GuestMemory m, int slot) {
        return m.readLe16(driverAddr + 4 + 2L * (slot & (size - 1)));
    }

    int usedEvent(GuestMemory m) {
        return m.readLe16(driverAddr + SplitRing.usedEventOffset(size));
    }

    int usedFlags(GuestMemory m) {
        return m.readLe16(deviceAddr);
    }

    /**
     * Writes one used element, then publishes it by advancing used idx (split.dev.15, split.dev.16: data and len
     * first).
     */
    void pushUsed(GuestMemory m, int id, long len) {
        long elem = deviceAddr + 4 + (long) SplitRing.USED_ELEM_SIZE * (usedIdx & (size - 1));
        m.writeLe32(elem, id);
        m.writeLe32(elem + 4, (int) len);
        usedIdx = (usedIdx + 1) & 0xffff;
        m.writeLe16(deviceAddr + 2, usedIdx);
    }

    void writeAvailEvent(GuestMemory m, int value) {
        m.writeLe16(deviceAddr + SplitRing.availEventOffset(size), value);
    }

    @Override
    public String toString() {
        return "queue " + index + " (size " + size + ", desc 0x" + Long.toHexString(descAddr) + ", driver 0x"
                + Long.toHexString(driverAddr) + ", device 0x" + Long.toHexString(deviceAddr) + ")";
    }
}
