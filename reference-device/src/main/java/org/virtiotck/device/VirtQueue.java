package org.virtiotck.device;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.SplitRing;

/**
 * Per-queue transport state and split-ring accessors (§2.7, §4.2.2 / §4.2.4); the layout registers and their
 * rules are {@link QueueRegisters}. Ring addresses are guest
 * physical; every accessor assumes {@link DescriptorChainValidator#checkQueue} accepted the layout first.
 */
final class VirtQueue extends QueueRegisters {
    final int index;
    /** QueueNumMax: 0 when the queue does not exist (mmio-desc.dev.4). */
    final int maxSize;

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
        resetRegisters();
        lastAvail = 0;
        usedIdx = 0;
        ringFlagsChecked = false;
    }

    int availFlags(GuestMemory m) {
        return m.readLe16(driverAddr);
    }

    int availIdx(GuestMemory m) {
        return m.readLe16(driverAddr + RingLayout.IDX_OFFSET);
    }

    int availRing(GuestMemory m, int slot) {
        return m.readLe16(RingLayout.availEntry(driverAddr, size, slot));
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
        UsedElem.write(m, RingLayout.usedEntry(deviceAddr, size, usedIdx), id, (int) len);
        usedIdx = (usedIdx + 1) & 0xffff;
        m.writeLe16(deviceAddr + RingLayout.IDX_OFFSET, usedIdx);
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
