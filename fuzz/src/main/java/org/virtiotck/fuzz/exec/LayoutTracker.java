package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.queue.LivePolicy;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.spec.SplitRing;

/**
 * Follows the register writes of a program so the executor knows where the rings are: the driver's own layout
 * (what the program's memory ops address) and the device's possible views of it under the shared queue-register
 * rules of the reference device ({@link QueueRegisters}, both {@link LivePolicy live-write policies}).
 */
final class LayoutTracker {
    /** Most queues the harness tracks. */
    static final int MAX_QUEUES = 8;

    private final TrackedQueue[] queues = new TrackedQueue[MAX_QUEUES];
    private final long ramBase;
    /** Whether the target has the legacy (Version 1) register layout: then QueueAlign/QueuePFN place the rings. */
    final boolean legacy;
    private int queueSel;
    /**
     * The last QueueSel value that named a tracked queue. A device may ignore a QueueSel naming a queue it does not
     * have and keep this one selected (QEMU 7.2 ignores values from 1024 up; the spec gives absent queues no
     * register behaviour), so layout writes made while the selection names no tracked queue may reach it.
     */
    private int trackedSel;
    /**
     * Last GuestPageSize written (0 = never). Like the device's, it survives device resets (Linux writes it once,
     * before its first reset) and is forgotten on a hard reset.
     */
    private int guestPageSize;
    /** Feature bits 0-31 the driver last wrote (DriverFeatures with DriverFeaturesSel 0); 0 after a reset. */
    private long driverFeatures;
    private int driverFeaturesSel;
    private int queueNumMax;
    /** Follow the {@code maxSized} view only while it counts ({@code sizeKept}); off only in tests. */
    boolean lazyMaxSized = true;
    /** Writes the {@code maxSized} views did not follow (not counting yet). */
    long maxSizedSkipped;
    /** Some queue's used idx was seen after a notify this run (until then no used ring is live). */
    boolean usedSeen;
    /** A device view was written since the views were last reset (until then resetting them again changes nothing). */
    private boolean viewsWritten = true;

    LayoutTracker(long ramBase, boolean legacy) {
        this.ramBase = ramBase;
        this.legacy = legacy;
        for (int i = 0; i < MAX_QUEUES; i++) {
            queues[i] = new TrackedQueue();
        }
    }

    TrackedQueue[] queues() {
        return queues;
    }

    TrackedQueue queue(int index) {
        return index >= 0 && index < MAX_QUEUES ? queues[index] : null;
    }

    void queueNumMax(int n) {
        this.queueNumMax = n;
        if (legacy) {
            for (TrackedQueue q : queues) {
                q.ownSizesBelow(n);
            }
        }
    }

    /** A hard reset forgets GuestPageSize. */
    void hardReset() {
        guestPageSize = 0;
    }

    /** The start of a run (after the device reset it begins with). */
    void reset() {
        queueSel = 0;
        driverFeatures = 0;
        driverFeaturesSel = 0;
        usedSeen = false;
        for (TrackedQueue q : queues) {
            q.resetDriverLayout();
        }
        resetDeviceViews(false);
    }

    /**
     * A device reset clears QueueReady (mmio.dev.6) and, on the legacy interface, QueuePFN (mmio-legacy.dev.5): every
     * view starts again from zeroed registers, and within a run a modern device may keep the rest
     * ({@code keepLeftover}, {@link TrackedQueue#leftover}).
     */
    private void resetDeviceViews(boolean keepLeftover) {
        if (viewsWritten) {
            for (TrackedQueue q : queues) {
                q.resetDeviceViews(keepLeftover && !legacy);
            }
            viewsWritten = false;
        }
    }

    /** Whether the driver accepted VIRTIO_F_INDIRECT_DESC (bit 28) in the features it last wrote. */
    boolean indirectAccepted() {
        return (driverFeatures & (1L << 28)) != 0;
    }

    boolean overlapsLiveUsedRing(long off, long len) {
        if (!usedSeen) {
            return false;
        }
        for (TrackedQueue q : queues) {
            if (q.overlapsLiveUsedRing(off, len)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Follows an aligned 32-bit register write. Returns whether it made the device's two views of the selected
     * queue's layout differ (a layout register written while the queue was live).
     */
    boolean track(int off, int v) {
        TrackedQueue q = queue(queueSel);
        boolean diverged = trackDevice(q, off, v);
        if (q == null) {
            diverged |= trackIgnoredSelection(off, v);
        }
        switch (off) {
            case QUEUE_SEL -> {
                queueSel = v;
                if (queue(v) != null) {
                    trackedSel = v;
                }
            }
            case QUEUE_NUM -> {
                if (q != null) {
                    q.size = v;
                    q.touched = true;
                }
            }
            case QUEUE_DESC_LOW -> setAddr(q, 0, v, false);
            case QUEUE_DESC_HIGH -> setAddr(q, 0, v, true);
            case QUEUE_DRIVER_LOW -> setAddr(q, 1, v, false);
            case QUEUE_DRIVER_HIGH -> setAddr(q, 1, v, true);
            case QUEUE_DEVICE_LOW -> setAddr(q, 2, v, false);
            case QUEUE_DEVICE_HIGH -> setAddr(q, 2, v, true);
            case GUEST_PAGE_SIZE -> {
                if (legacy) {
                    guestPageSize = v;
                }
            }
            case QUEUE_ALIGN -> {
                if (legacy && q != null && q.pfn == 0) {
                    q.align = v;
                    q.alignWritten = true;
                }
            }
            case QUEUE_PFN -> {
                if (legacy && q != null) {
                    trackPfn(q, v);
                }
            }
            case STATUS -> {
                if (v == 0) {
                    trackedSel = 0; // a reset selects queue 0 (QEMU's virtio_reset, the reference's reset)
                }
                if (legacy && v == 0) {
                    for (TrackedQueue x : queues) { // a device reset zeroes QueuePFN and QueueAlign (mmio-legacy.dev.5)
                        x.pfn = 0;
                        x.align = 0;
                        x.alignWritten = false;
                    }
                }
            }
            default -> {
            }
        }
        return diverged;
    }

    /**
     * An 8-byte write at a 4-byte aligned register offset (mmio.drv.4 broken): a device may ignore it, as the
     * reference does, or take it as two 32-bit writes, low half first, as QEMU 7.2 does (a form of its legacy
     * campaign finding ff84ee414: QueueNum and QueueAlign written at once). The views that apply layout writes
     * ({@code taken} and the kept-size ones) follow the halves; {@code kept} and the driver's layout ignore them.
     */
    void trackWide(int off, int width, long value) {
        TrackedQueue q = width == 8 && (off & 3) == 0 ? queue(queueSel) : null;
        for (int half = 0; half < 2 && q != null; half++) {
            int o = off + 4 * half;
            if (o == QUEUE_PFN || QueueRegisters.layoutRegister(o, legacy)) {
                viewsWritten = true;
                writeApplied(q, o, (int) (value >>> (32 * half)));
            }
        }
    }

    /** The device's views of the queue registers (the shared rules, both live-write policies). */
    private boolean trackDevice(TrackedQueue q, int off, int v) {
        if (off == DRIVER_FEATURES_SEL) {
            driverFeaturesSel = v;
        } else if (off == DRIVER_FEATURES && driverFeaturesSel == 0) {
            driverFeatures = v & 0xffffffffL;
        }
        if (off == STATUS && v == 0) {
            driverFeatures = 0;
            driverFeaturesSel = 0;
            resetDeviceViews(true);
            return false;
        }
        if (off == GUEST_PAGE_SIZE && legacy) {
            // A live queue may keep its rings or be placed again with the new page size (org.virtiotck.queue):
            // every queue, not only the selected one, so the views of each are compared.
            boolean diverged = false;
            viewsWritten = true;
            for (TrackedQueue x : queues) {
                x.kept.writeGuestPageSize(v, LivePolicy.IGNORE);
                x.taken.writeGuestPageSize(v, LivePolicy.APPLY);
                if (x.sizeKept || !lazyMaxSized) {
                    x.maxSized.writeGuestPageSize(v, LivePolicy.APPLY);
                    x.maxSizedKept.writeGuestPageSize(v, LivePolicy.IGNORE);
                    for (QueueRegisters o : x.ownSized) {
                        o.writeGuestPageSize(v, LivePolicy.APPLY);
                    }
                } else {
                    maxSizedSkipped++;
                }
                diverged |= !x.kept.sameLayout(x.taken);
            }
            return diverged;
        }
        if (q == null) {
            return false;
        }
        if (off == QUEUE_READY && !legacy) {
            viewsWritten = true;
            q.kept.readyValue = v;
            q.taken.readyValue = v;
            q.maxSizedKept.readyValue = v;
        } else if (off == QUEUE_RESET && v == 1 && !legacy) {
            viewsWritten = true;
            q.taken.resetRegisters(); // a device may not reset the queue (RING_RESET not negotiated): keep both
        } else if (off == QUEUE_PFN || QueueRegisters.layoutRegister(off, legacy)) {
            viewsWritten = true;
            q.kept.writeLayout(off, v, legacy, guestPageSize, LivePolicy.IGNORE);
            writeApplied(q, off, v);
            writeKeptMaxSized(q, off, v);
        } else {
            return false;
        }
        return !q.kept.sameLayout(q.taken);
    }

    /**
     * A layout write while QueueSel names no tracked queue: a device that kept the queue selected before may apply
     * it there ({@link #trackedSel}), so that queue's {@code taken} view (and the max-sized one) follow it, while
     * {@code kept} stays as the device that honoured the selection leaves it.
     */
    private boolean trackIgnoredSelection(int off, int v) {
        TrackedQueue p = queue(trackedSel);
        if (p == null || !(off == QUEUE_PFN || QueueRegisters.layoutRegister(off, legacy))) {
            return false;
        }
        viewsWritten = true;
        writeApplied(p, off, v);
        return !p.kept.sameLayout(p.taken);
    }

    /**
     * A layout write in the views that apply it: {@code taken}, and {@code maxSized} once it counts. A legacy
     * QueueAlign of 0 is not a power of two (mmio-legacy.drv.3 broken); {@code kept} falls back to 4096 for it, as
     * the reference does, and these views keep the alignment they had, as QEMU 7.2 does
     * ({@code WideRegisterWriteTest}).
     */
    private void writeApplied(TrackedQueue q, int off, int v) {
        if (legacy && off == QUEUE_ALIGN && v == 0) {
            return;
        }
        q.taken.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
        boolean invalidSize = invalidSize(off, v);
        if (q.leftoverKept && !invalidSize) {
            q.leftover.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
        }
        if (invalidSize && queueNumMax > 0) {
            if (!q.sizeKept && lazyMaxSized) {
                q.maxSizedKept.copyRegisters(q.kept); // until a size is kept that view is kept's (writeKeptMaxSized)
            }
            q.sizeKept = true; // split-desc.drv.1 / mmio.drv.14 broken: a device may keep a size of its own
            q.maxSized.copyRegisters(q.taken);
            q.maxSized.writeLayout(QUEUE_NUM, queueNumMax, legacy, guestPageSize, LivePolicy.APPLY);
            for (int i = 0; i < q.ownSized.length; i++) {
                q.ownSized[i].copyRegisters(q.taken);
                q.ownSized[i].writeLayout(QUEUE_NUM, 1 << i, legacy, guestPageSize, LivePolicy.APPLY);
            }
        } else if (q.sizeKept || !lazyMaxSized) {
            // Until a size is kept the view is not looked at, and keeping one copies it from taken anew.
            q.maxSized.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
            for (QueueRegisters o : q.ownSized) {
                o.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
            }
        } else {
            maxSizedSkipped++;
        }
    }

    /**
     * A layout write in the view that ignores writes to a live queue, as {@code kept} does, and keeps QueueNumMax
     * as the size for a QueueNum write that is not a valid size, as {@code maxSized} does: QEMU 7.2's modern
     * virtio-mmio, which takes the ring addresses only at the next QueueReady of 1 and leaves its own size for an
     * invalid QueueNum (a form of QEMU campaign finding ff84ee414, KeptSizeIgnoredWritesTest: a used ring at
     * RAM+0 set live with QueueNum 0 and moved while live). Followed, as {@code maxSized}, only once a size is
     * kept: until then it is {@code kept}, from which it starts at the first invalid size.
     */
    private void writeKeptMaxSized(TrackedQueue q, int off, int v) {
        if (!q.sizeKept && lazyMaxSized) {
            return;
        }
        if (!invalidSize(off, v)) {
            q.maxSizedKept.writeLayout(off, v, legacy, guestPageSize, LivePolicy.IGNORE);
        } else if (queueNumMax > 0) {
            q.maxSizedKept.writeLayout(QUEUE_NUM, queueNumMax, legacy, guestPageSize, LivePolicy.IGNORE);
        }
    }

    private boolean invalidSize(int off, int v) {
        return off == QUEUE_NUM && (!powerOfTwo(v) || Integer.compareUnsigned(v, queueNumMax) > 0);
    }

    static boolean powerOfTwo(int v) {
        return QueueRegisters.powerOfTwo(v);
    }

    /** The page size the device uses for QueuePFN: GuestPageSize, or 4096 when never set or not a power of two. */
    long legacyPageSize() {
        return powerOfTwo(guestPageSize) ? guestPageSize & 0xffffffffL : 4096;
    }

    static long legacyAlign(TrackedQueue q) {
        return q.alignWritten && powerOfTwo(q.align) ? q.align & 0xffffffffL : 4096;
    }

    /** Legacy: QueuePFN places the three rings contiguously (§2.7.2), from the queue size and alignment in force. */
    private void trackPfn(TrackedQueue q, int v) {
        q.pfn = v;
        q.touched = true;
        if (v == 0 || q.size <= 0 || q.size > SplitRing.MAX_QUEUE_SIZE) {
            return;
        }
        long base = (v & 0xffffffffL) * legacyPageSize() - ramBase;
        q.desc = base;
        q.avail = base + SplitRing.descTableBytes(q.size);
        q.used = base + SplitRing.legacyUsedOffset(q.size, legacyAlign(q));
    }

    private void setAddr(TrackedQueue q, int which, int v, boolean high) {
        if (q == null) {
            return;
        }
        q.touched = true;
        long gpa = which == 0 ? q.desc : which == 1 ? q.avail : q.used;
        gpa += ramBase;
        long w = v & 0xffffffffL;
        gpa = high ? (gpa & 0xffffffffL) | (w << 32) : (gpa & 0xffffffff00000000L) | w;
        long off = gpa - ramBase;
        switch (which) {
            case 0 -> q.desc = off;
            case 1 -> q.avail = off;
            default -> q.used = off;
        }
    }
}
