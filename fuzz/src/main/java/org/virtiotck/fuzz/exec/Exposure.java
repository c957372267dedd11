package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.STATUS;

import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.SplitRing;

/**
 * The chains an asynchronous device may take at any moment, and what the program does to them meanwhile. The spec
 * lets a device read a chain and its buffers as soon as the avail idx exposes it (split-desc.dev.3), any time
 * until it puts the chain in the used ring; the reference oracle, a synchronous device, takes it at its notify.
 * While the oracle has not used a chain, the program's view of it must not depend on that moment:
 * <ul>
 *   <li>rewriting its descriptor entries, indirect table or avail ring slot breaks init.drv.9 (a driver does not
 *       alter the virtqueue entries of exposed buffers of a live queue): a driver-rule violation;</li>
 *   <li>rewriting its buffers (header, data) breaks no rule, but the device may have read either version, and
 *       acknowledging interrupts may clear the used-buffer bit of a completion the device made early: from such
 *       an op on, what the differential compares depends on timing;</li>
 *   <li>a chain the oracle finds rule-breaking at its notify (or DEVICE_NEEDS_RESET) broke the rule, for a device
 *       that took it early, when it was exposed.</li>
 * </ul>
 * In all three cases only the invariants are judged from then on. The executor of the reference oracle keeps one
 * of these when the target is asynchronous (a settle time above 0); a synchronous target takes chains at the
 * notify, like the oracle, so nothing here applies to it.
 */
final class Exposure {
    static final int NONE = 0;
    /** A write overlaps a descriptor entry, an indirect table or an avail ring slot of an exposed chain. */
    static final int ENTRY = 1;
    /** A write overlaps a buffer of an exposed chain. */
    static final int BUFFER = 2;
    private static final int MAX = 512;

    private final ChainWalker walker;
    private final LayoutTracker layout;
    private final long[] lo = new long[MAX];
    private final long[] hi = new long[MAX];
    private final boolean[] entry = new boolean[MAX];
    private int n;
    /** Too many ranges to follow: every write while something is exposed counts as touching an entry. */
    private boolean overflow;
    /** Per queue: the op that exposed the oldest chain the oracle has not used, or -1. */
    final int[] since = new int[LayoutTracker.MAX_QUEUES];

    Exposure(ChainWalker walker, LayoutTracker layout) {
        this.walker = walker;
        this.layout = layout;
    }

    /** After the avail ring of queue {@code qi} was written at op {@code opIndex} (its idx already moved). */
    void published(int qi, int pendingBefore, int opIndex) {
        TrackedQueue q = layout.queue(qi);
        if (q != null && pendingBefore == 0 && ((q.availIdx - q.collected) & 0xffff) != 0) {
            since[qi] = opIndex;
        }
        rebuild();
    }

    /** After the oracle used chains of queue {@code qi} (at a notify). */
    void used(int qi) {
        TrackedQueue q = layout.queue(qi);
        if (q != null && q.availIdx == q.collected) {
            since[qi] = -1;
        }
        rebuild();
    }

    private void rebuild() {
        n = 0;
        overflow = false;
        for (int i = 0; i < since.length; i++) {
            if (since[i] >= 0) {
                walker.expose(layout.queue(i), this);
            }
        }
    }

    /**
     * Judges a program write of {@code [off, off+len)} at op {@code opIndex}: touching an exposed chain's entries
     * is a driver-rule violation, touching its buffers makes the outcome timing-dependent.
     */
    void written(long off, long len, Observation obs, int opIndex) {
        if (!any()) {
            return;
        }
        int t = touches(off, len);
        if (t == ENTRY) {
            if (obs.violationOp < 0 || opIndex < obs.violationOp) {
                obs.violationOp = opIndex;
                obs.exposureNote = "init.drv.9: op " + opIndex + " alters a descriptor or avail slot of a chain"
                        + " exposed since op " + firstSince();
            }
        } else if (t == BUFFER && (obs.timingOp < 0 || opIndex < obs.timingOp)) {
            obs.timingOp = opIndex;
        }
    }

    /**
     * The program ended with chains exposed that the oracle never took: an asynchronous device may take them at any
     * moment (the served reference does when the next reset drains it). Once the run has been observed, the oracle
     * serves them too, so its disk follows such a device, and a chain it finds rule-breaking (or that makes it need
     * a reset) counts as broken from its exposure on. The caller restores guest memory whole afterwards.
     */
    void serveWhatIsLeft(ReferenceBlockDevice d, Observation obs) {
        obs.pendingAtEnd = true;
        if ((d.read(STATUS, 4) & DeviceStatus.DRIVER_OK) == 0) {
            return; // a device does not serve before DRIVER_OK (and a notify now would itself break init.drv.8)
        }
        boolean violated = d.hasDriverViolations();
        boolean needsReset = d.needsReset();
        for (int qi = 0; qi < since.length; qi++) {
            if (since[qi] < 0) {
                continue;
            }
            d.write(QUEUE_NOTIFY, 4, qi);
            if (!violated && d.hasDriverViolations()) {
                violated = true;
                obs.violationOp = obs.violationOp < 0 ? since[qi] : Math.min(obs.violationOp, since[qi]);
            }
            if (!needsReset && d.needsReset()) {
                needsReset = true;
                obs.needsResetOp = obs.needsResetOp < 0 ? since[qi] : Math.min(obs.needsResetOp, since[qi]);
            }
        }
    }

    /** An interrupt acknowledgement while chains are exposed: the device may have completed one and raised it. */
    void acknowledged(Observation obs, int opIndex) {
        if (any() && (obs.timingOp < 0 || opIndex < obs.timingOp)) {
            obs.timingOp = opIndex;
        }
    }

    int firstSince() {
        int f = -1;
        for (int s : since) {
            if (s >= 0 && (f < 0 || s < f)) {
                f = s;
            }
        }
        return f;
    }

    void clear() {
        n = 0;
        overflow = false;
        java.util.Arrays.fill(since, -1);
    }

    void add(long from, long len, boolean isEntry) {
        if (len <= 0) {
            return;
        }
        if (n == MAX) {
            overflow = true;
            return;
        }
        lo[n] = from;
        hi[n] = from + len;
        entry[n] = isEntry;
        n++;
    }

    /** Whether anything is exposed on any queue. */
    boolean any() {
        for (int s : since) {
            if (s >= 0) {
                return true;
            }
        }
        return false;
    }

    /** What a program write of {@code [off, off+len)} touches: {@link #NONE}, {@link #ENTRY} or {@link #BUFFER}. */
    int touches(long off, long len) {
        if (overflow && any()) {
            return ENTRY;
        }
        int what = NONE;
        for (int i = 0; i < n; i++) {
            if (off < hi[i] && off + len > lo[i]) {
                if (entry[i]) {
                    return ENTRY;
                }
                what = BUFFER;
            }
        }
        return what;
    }

    /** The avail ring slot of exposed slot {@code slot} of a queue of {@code size} whose ring is at {@code avail}. */
    void addSlot(long avail, int size, int slot) {
        add(avail + 4 + 2L * Integer.remainderUnsigned(slot, size), 2, true);
    }

    static int slots(TrackedQueue q) {
        return Math.min(Math.min(q.size, SplitRing.MAX_QUEUE_SIZE), 256);
    }
}
