package org.virtiotck.fuzz.exec;

import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

/**
 * One queue as the executor follows it: where the driver (the program) put its rings, from the registers it wrote
 * ({@code size, desc, avail, used}: what the program's memory ops use), and the device's possible views under the
 * shared rules ({@link QueueRegisters}): {@code kept} ignores layout writes to a live queue, {@code taken} applies
 * them. Every view's used ring and writable buffers are device-writable. Also holds what the harness saw of each
 * chain offered on the queue, so a completion can be described when it arrives.
 */
final class TrackedQueue {
    /** Chains whose offer is remembered (heads below this). */
    static final int CHAINS = 256;
    /** Writable segments remembered per chain. */
    static final int SEGS = 8;

    final QueueRegisters kept = new QueueRegisters();
    final QueueRegisters taken = new QueueRegisters();
    /** Applies every write but keeps QueueNumMax as the size when a QueueNum write is not a valid size (QEMU
     * ignores such a write and keeps its default size); meaningful while {@code sizeKept}. */
    final QueueRegisters maxSized = new QueueRegisters();
    /** Ignores layout writes to a live queue, as {@code kept}, but keeps QueueNumMax for a QueueNum write that is
     * not a valid size, as {@code maxSized} (QEMU 7.2's modern virtio-mmio); meaningful while {@code sizeKept}. */
    final QueueRegisters maxSizedKept = new QueueRegisters();
    /**
     * Legacy only: {@code maxSized} with each power of two below QueueNumMax as the size the device keeps
     * ({@code ownSized[i]} keeps 2<sup>i</sup>). On the legacy interface the size places the avail and used rings
     * (§2.7.2), and the size a device keeps need not be QueueNumMax: QEMU 7.2 keeps the queue's default of 256
     * while QueueNumMax reads 1024 (a form of QEMU campaign finding ff84ee414, {@code LegacyOwnSizeTest}). On a
     * modern target the ring addresses do not depend on the size, and the rings of the largest size cover those of
     * every smaller one. Meaningful while {@code sizeKept}.
     */
    QueueRegisters[] ownSized = new QueueRegisters[0];
    boolean sizeKept;
    /**
     * What a modern device that keeps the queue registers over a reset holds (a reset must clear only QueueReady,
     * mmio.dev.6, and QEMU 7.2 keeps QueueNum and the ring addresses; an invalid size it never took), with the
     * layout writes since applied: a driver that enables the queue again without writing all of them gets these.
     * Meaningful while {@code leftoverKept}: from a reset within the run that found a layout to keep.
     */
    final QueueRegisters leftover = new QueueRegisters();
    boolean leftoverKept;
    int size;
    long desc;
    long avail;
    long used;
    int availIdx;
    boolean touched;
    /** Legacy: QueuePFN, QueueAlign as written (QueueAlign is ignored while the PFN is non-zero). */
    int pfn;
    int align;
    boolean alignWritten;
    /** Highest used idx seen after a notify (the device's completions); -1 if none. */
    int notifiedUsed = -1;
    /** Used idx up to which completions were collected. */
    int collected;
    /**
     * The device's place in the rings may differ from the driver's: the program set the queue up again while it was
     * live, and a device that ignored that (as it may, mmio.drv.15 broken) kept its own avail and used positions,
     * so the avail idx the driver starts again from 0 may look to it like up to 65,535 entries to serve: every slot
     * of the avail ring is walked for what the device may write.
     */
    boolean positionUnknown;
    int[] walkedHeads = new int[64];
    // What the harness saw of each head's chain at the last notify that offered it (index: head < CHAINS).
    final int[] cGen = new int[CHAINS];
    final long[] cWritable = new long[CHAINS];
    final long[] cStatusAt = new long[CHAINS];
    final long[] cSector = new long[CHAINS];
    final long[] cDataOut = new long[CHAINS];
    final int[] cType = new int[CHAINS];
    final int[] cSegN = new int[CHAINS];
    final boolean[] cNonHeadIndirect = new boolean[CHAINS];
    /** The chain's status byte lies in a writable buffer of another chain offered with it. */
    final boolean[] cShared = new boolean[CHAINS];
    /** The chain has a descriptor of length 0. */
    final boolean[] cZeroLen = new boolean[CHAINS];
    /**
     * How many pieces the chain's 16-byte readable header is in (0: none recorded). The header is the first 16
     * bytes of the readable stream, so a driver may split it across descriptors; piece {@code k} of head {@code h}
     * is {@code [cHeaderAt[h * HEADER_SIZE + k], +cHeaderLen[h * HEADER_SIZE + k])}, in chain order.
     */
    final int[] cHeaderPieces = new int[CHAINS];
    /**
     * How many pieces the bytes whose value decides the request's status are in: the header's pieces, then, for a
     * request that carries segments the device parses (DISCARD, WRITE_ZEROES, SECURE_ERASE), the rest of the
     * readable stream (at most {@link Blk#HEADER_SIZE} pieces in all).
     */
    final int[] cInputPieces = new int[CHAINS];
    final long[] cHeaderAt = new long[CHAINS * Blk.HEADER_SIZE];
    final int[] cHeaderLen = new int[CHAINS * Blk.HEADER_SIZE];
    /**
     * The request's input (a piece of the header or of the parsed segments) lies in a writable buffer of another
     * chain offered with it, or there are more input pieces than are recorded.
     */
    final boolean[] cHeaderOverlap = new boolean[CHAINS];
    /**
     * The request's input (a piece of the header or of the parsed segments) lies in bytes the device may have
     * written earlier in the run, or outside the arena: the shadow does not know them.
     */
    final boolean[] cHeaderWritten = new boolean[CHAINS];
    final long[] cSegA = new long[CHAINS * SEGS];
    final long[] cSegL = new long[CHAINS * SEGS];

    /**
     * The program sets the queue up again (QueueSetup): the driver's avail and used positions start from 0; a device
     * for which the queue is live ({@code kept}) may keep its own ({@link #positionUnknown}).
     */
    void restartRing(boolean legacy) {
        positionUnknown |= kept.enabled(legacy);
        availIdx = 0;
        collected = 0;
    }

    /** Forgets the driver's layout at the start of a run (a device reset; the device views separately). */
    void resetDriverLayout() {
        positionUnknown = false;
        leftoverKept = false; // between runs the executor puts kept registers back itself (ResetLeftovers)
        size = 0;
        desc = avail = used = 0;
        availIdx = 0;
        touched = false;
        notifiedUsed = -1;
        collected = 0;
        pfn = 0;
        align = 0;
        alignWritten = false;
    }

    /** A device reset zeroes every queue register (mmio.dev.6, mmio-legacy.dev.5): in every device view. */
    void resetDeviceViews(boolean keepLeftover) {
        positionUnknown = false;
        QueueRegisters from = sizeKept ? maxSized : taken;
        if (keepLeftover && from.size > 0) {
            leftover.copyRegisters(from);
            leftover.readyValue = 0;
            leftoverKept = true;
        } else if (!keepLeftover) {
            leftoverKept = false;
        }
        kept.resetRegisters();
        taken.resetRegisters();
        maxSized.resetRegisters();
        maxSizedKept.resetRegisters();
        for (QueueRegisters o : ownSized) {
            o.resetRegisters();
        }
        sizeKept = false;
    }

    /** Legacy: one {@link #ownSized} view per power of two below {@code queueNumMax}. */
    void ownSizesBelow(int queueNumMax) {
        int n = 0;
        while (n < 31 && Integer.compareUnsigned(1 << n, queueNumMax) < 0 && 1 << n < SplitRing.MAX_QUEUE_SIZE) {
            n++;
        }
        ownSized = new QueueRegisters[n];
        for (int i = 0; i < n; i++) {
            ownSized[i] = new QueueRegisters();
        }
    }

    /** Whether {@code [off, off+len)} overlaps the used ring as the driver placed it, once the device has used it. */
    boolean overlapsLiveUsedRing(long off, long len) {
        if (notifiedUsed < 0 || size <= 0) {
            return false;
        }
        long end = used + SplitRing.usedRingBytes(Math.min(size, SplitRing.MAX_QUEUE_SIZE));
        return off < end && off + len > used;
    }
}
