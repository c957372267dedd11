package org.virtiotck.spec;

/** Split virtqueue layout (§2.7): descriptor format, ring layouts and the legacy contiguous layout (§2.7.2). */
public final class SplitRing {
    private SplitRing() {}

    public static final int DESC_SIZE = 16;          // le64 addr, le32 len, le16 flags, le16 next
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;

    /** Alignment of the descriptor table, available ring and used ring (§2.7, split.drv.1). */
    public static final int DESC_ALIGN = 16;
    public static final int AVAIL_ALIGN = 2;
    public static final int USED_ALIGN = 4;

    /** avail/used ring flags. */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    public static final int USED_F_NO_NOTIFY = 1;

    public static final int USED_ELEM_SIZE = 8;      // le32 id, le32 len
    /** Largest queue size a split ring may have (§2.7: power of two, at most 32768). */
    public static final int MAX_QUEUE_SIZE = 32768;

    public static long descTableBytes(int queueSize) {
        return (long) DESC_SIZE * queueSize;
    }

    /** flags, idx, ring[N], used_event. */
    public static long availRingBytes(int queueSize) {
        return 6L + 2L * queueSize;
    }

    /** flags, idx, ring[N], avail_event. */
    public static long usedRingBytes(int queueSize) {
        return 6L + (long) USED_ELEM_SIZE * queueSize;
    }

    /** Offset of used_event within the available ring. */
    public static long usedEventOffset(int queueSize) {
        return 4L + 2L * queueSize;
    }

    /** Offset of avail_event within the used ring. */
    public static long availEventOffset(int queueSize) {
        return 4L + (long) USED_ELEM_SIZE * queueSize;
    }

    /** Legacy layout: offset of the used ring from the queue base, aligned to {@code align}. */
    public static long legacyUsedOffset(int queueSize, long align) {
        long end = descTableBytes(queueSize) + availRingBytes(queueSize);
        return (end + align - 1) / align * align;
    }

    /** Legacy layout: total bytes from the queue base to the end of the used ring. */
    public static long legacyQueueBytes(int queueSize, long align) {
        return legacyUsedOffset(queueSize, align) + usedRingBytes(queueSize);
    }

    /** The EVENT_IDX rule (§2.7.7.2): whether moving from {@code oldIdx} to {@code newIdx} crosses {@code eventIdx}. */
    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }
}
