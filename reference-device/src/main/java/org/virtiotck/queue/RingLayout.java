package org.virtiotck.queue;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.SplitRing;

/**
 * Where one split virtqueue's three areas are (§2.7) and the address of every field in them: descriptor entries,
 * the available ring (flags, idx, ring[size], used_event) and the used ring (flags, idx, ring[size], avail_event).
 * Each ring starts with its le16 flags, so {@link #avail()} and {@link #used()} are also the flags' addresses.
 * Addresses are whatever the caller counts in (guest physical, or offsets into an image of RAM).
 *
 * <p>Ring slots are taken from a free-running 16-bit index modulo {@code size}, so {@link #availEntry(int)} and
 * {@link #usedEntry(int)} accept the index itself. The static forms serve callers that keep the three addresses in
 * fields of their own and must not allocate on every access (the reference device).
 *
 * @param size  the queue size (QueueNum); ring sizes follow from it
 * @param desc  the descriptor table
 * @param avail the available (driver) ring
 * @param used  the used (device) ring
 */
public record RingLayout(int size, long desc, long avail, long used) {
    /** Offset of idx in both rings (after le16 flags). */
    public static final int IDX_OFFSET = 2;
    /** Offset of ring[0] in both rings. */
    public static final int RING_OFFSET = 4;

    /** Modern layout (§4.2.2): the driver places each area itself. */
    public static RingLayout modern(int size, long desc, long avail, long used) {
        return new RingLayout(size, desc, avail, used);
    }

    /**
     * Legacy contiguous layout (§2.7.2): the descriptor table at {@code base}, the available ring right after it,
     * the used ring at the next multiple of {@code align} (a power of two) from the base.
     */
    public static RingLayout legacy(int size, long base, long align) {
        return new RingLayout(size, base, base + SplitRing.descTableBytes(size),
                base + SplitRing.legacyUsedOffset(size, align));
    }

    /** Legacy layout from the registers (§4.2.4): base = QueuePFN &times; page size (QueuePFN unsigned). */
    public static RingLayout legacyFromPfn(int size, int pfn, long pageSize, long align) {
        return legacy(size, Integer.toUnsignedLong(pfn) * pageSize, align);
    }

    /** Bytes a legacy queue of {@code size} with used-ring alignment {@code align} spans from its base. */
    public static long legacyBytes(int size, long align) {
        return SplitRing.legacyQueueBytes(size, align);
    }

    // ---- sizes ----

    public long descBytes() {
        return SplitRing.descTableBytes(size);
    }

    public long availBytes() {
        return SplitRing.availRingBytes(size);
    }

    public long usedBytes() {
        return SplitRing.usedRingBytes(size);
    }

    // ---- field addresses ----

    /** Descriptor-table entry {@code index}. */
    public long descEntry(int index) {
        return desc + Descriptor.offset(index);
    }

    /** idx of the available ring (written by the driver), then of the used ring (written by the device). */
    public long availIdx() {
        return avail + IDX_OFFSET;
    }

    public long usedIdx() {
        return used + IDX_OFFSET;
    }

    /** The available-ring slot, then the used-ring element, that free-running index {@code idx} names. */
    public long availEntry(int idx) {
        return availEntry(avail, size, idx);
    }

    public long usedEntry(int idx) {
        return usedEntry(used, size, idx);
    }

    /**
     * used_event at the end of the available ring (read by a device with EVENT_IDX), then avail_event at the end of
     * the used ring (written by such a device).
     */
    public long usedEvent() {
        return avail + SplitRing.usedEventOffset(size);
    }

    public long availEvent() {
        return used + SplitRing.availEventOffset(size);
    }

    /** Whether the three areas meet the §2.7 alignments (16, 2, 4; split.drv.1). */
    public boolean aligned() {
        return (desc & (SplitRing.DESC_ALIGN - 1)) == 0 && (avail & (SplitRing.AVAIL_ALIGN - 1)) == 0
                && (used & (SplitRing.USED_ALIGN - 1)) == 0;
    }

    /** Whether all three areas lie inside guest RAM. */
    public boolean inside(GuestMemory m) {
        return m.contains(desc, descBytes()) && m.contains(avail, availBytes()) && m.contains(used, usedBytes());
    }

    // ---- the same without a layout object ----

    /** Slot of free-running index {@code idx} in a ring of {@code size} (size &gt; 0). */
    public static int slot(int idx, int size) {
        return Integer.remainderUnsigned(idx, size);
    }

    /** Address of the available-ring slot of free-running index {@code idx}. */
    public static long availEntry(long avail, int size, int idx) {
        return avail + RING_OFFSET + 2L * slot(idx, size);
    }

    /** Address of the used-ring element of free-running index {@code idx}. */
    public static long usedEntry(long used, int size, int idx) {
        return used + RING_OFFSET + (long) SplitRing.USED_ELEM_SIZE * slot(idx, size);
    }
}
