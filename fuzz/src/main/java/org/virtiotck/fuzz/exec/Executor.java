package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import java.util.List;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.queue.LivePolicy;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;

/**
 * Runs {@link Program}s against one {@link Target}, bounded, and records an {@link Observation}.
 *
 * <p>Guest memory: the first {@value #ARENA} bytes of the target's RAM window are the <em>arena</em>. The harness
 * keeps a shadow image of what it expects there: a position-dependent canary pattern plus everything the program
 * wrote. Program memory writes go to the shadow and are flushed to the target in one call before the next register
 * access (batched). After the run the arena is read back once; every byte that differs from the shadow outside the
 * device-writable regions (the used rings and the device-writable buffers of every chain the device was offered,
 * as the harness walks them at each notify) is a canary violation.
 *
 * <p>Between runs the device gets a cheap reset (Status = 0) and the touched part of the arena is restored to the
 * canary, instead of a hard reset; after a {@link TargetFault} the target is hard-reset before the next run.
 *
 * <p>Register offsets are confined to the transport window {@code [0, 0x200)}; odd access widths (3, 5, 6, 7)
 * reach only targets that declare they accept them ({@code oddWidths}); elsewhere such an op is skipped.
 */
public final class Executor {
    /** Size of the checked arena at the start of guest RAM. */
    public static final int ARENA = 64 * 1024;
    /** Most queues the harness tracks. */
    public static final int MAX_QUEUES = 8;
    private static final int MAX_CHAIN = 64;
    private static final int MAX_ALLOWED = 512;
    private static final int WINDOW = 0x200;

    private static final byte[] CANARY = new byte[ARENA];

    static {
        for (int i = 0; i < ARENA; i++) {
            CANARY[i] = (byte) (0xA5 ^ (i * 7) ^ (i >>> 8));
        }
    }

    private Target target;
    private final boolean oddWidths;
    private final long settleNanos;
    private final long ramBase;
    private final long ramSize;
    private final byte[] shadow = new byte[ARENA];
    private final byte[] after = new byte[ARENA];
    private final boolean[] allowMask = new boolean[ARENA];
    /** Bytes of WRITE-flagged indirect descriptors after a chain's head: written only by a device that takes them
     * for data buffers (split.dev.8). */
    private final boolean[] asDataMask = new boolean[ARENA];
    private final byte[] small = new byte[16];
    private final byte[] bounce = new byte[4096];
    private final int[] dirtyA = new int[32];
    private final int[] dirtyB = new int[32];
    private int dirtyN;
    private int hi;
    private int prevHi = ARENA;
    private boolean needHardReset;
    /** Bytes of {@link #after} that hold the device-side image (0 while the program is still running). */
    private int checked;

    // off-arena allowed regions [lo, hi) in RAM offsets
    private final long[] allowLo = new long[MAX_ALLOWED];
    private final long[] allowHi = new long[MAX_ALLOWED];
    private int allowN;
    private boolean allowOverflow;

    private final Queue[] queues = new Queue[MAX_QUEUES];
    private int queueSel;
    /** Whether the target has the legacy (Version 1) register layout: then QueueAlign/QueuePFN place the rings. */
    private final boolean legacy;
    /**
     * Last GuestPageSize written (0 = never). Like the device's, it survives device resets (Linux writes it once,
     * before its first reset) and is forgotten on a hard reset.
     */
    private int guestPageSize;
    private final Observation obs = new Observation();
    /** Target calls made (each is one round trip over a wire link such as qtest). */
    private long calls;
    private int opIndex;

    /** Harness-side chain walk results (reused). */
    private final long[] segAddr = new long[MAX_CHAIN * 2];
    private final long[] segLen = new long[MAX_CHAIN * 2];
    private final boolean[] segWrite = new boolean[MAX_CHAIN * 2];
    private int segN;
    private int queueNumMax;
    /** The chain walked last had an indirect descriptor after its head. */
    private boolean nonHeadIndirect;
    /** Feature bits 0-31 the driver last wrote (DriverFeatures with DriverFeaturesSel 0); 0 after a reset. */
    private long driverFeatures;
    private int driverFeaturesSel;
    private final boolean[] walked = new boolean[1 << 16];

    /**
     * One queue: where the driver (the program) put its rings, from the registers it wrote ({@code size, desc,
     * avail, used}: what the program's memory ops use), and the device's possible views under the shared rules
     * ({@link QueueRegisters}): {@code kept} ignores layout writes to a live queue, {@code taken} applies them.
     * Every view's used ring and writable buffers are device-writable.
     */
    static final class Queue {
        final QueueRegisters kept = new QueueRegisters();
        final QueueRegisters taken = new QueueRegisters();
        /** Applies every write but keeps QueueNumMax as the size when a QueueNum write is not a valid size (QEMU
         * ignores such a write and keeps its default size); meaningful while {@code sizeKept}. */
        final QueueRegisters maxSized = new QueueRegisters();
        boolean sizeKept;
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
        final long[] cSegA = new long[CHAINS * SEGS];
        final long[] cSegL = new long[CHAINS * SEGS];
    }

    private static final int CHAINS = 256;
    private static final int SEGS = 8;
    private int gen = 1;

    /**
     * @param target      the device under test (or the oracle)
     * @param oddWidths   whether odd access widths may be sent to this target
     * @param settleMillis how long to wait, after a notify, for an asynchronous device to catch up with the
     *                     completions the reference made (0 for synchronous in-process devices)
     */
    public Executor(Target target, boolean oddWidths, long settleMillis) {
        this.target = target;
        this.oddWidths = oddWidths;
        this.settleNanos = settleMillis * 1_000_000L;
        this.ramBase = target.ram().base();
        this.ramSize = target.ram().size();
        for (int i = 0; i < MAX_QUEUES; i++) {
            queues[i] = new Queue();
        }
        System.arraycopy(CANARY, 0, shadow, 0, ARENA);
        this.legacy = target.read(VERSION, 4) == VERSION_LEGACY;
    }

    public Target target() {
        return target;
    }

    public Observation observation() {
        return obs;
    }

    /** Target calls (register and guest-memory accesses, resets) made so far: round trips over a wire link. */
    public long calls() {
        return calls;
    }

    /** QueueNumMax of the target's queues (a device may keep it as the size when QueueNum is invalid). */
    public void queueNumMax(int n) {
        this.queueNumMax = n;
    }

    /** Forces a hard reset before the next run (e.g. after a finding, to resynchronize disks). */
    public void requestHardReset() {
        needHardReset = true;
    }

    /**
     * Hard-resets the target now (fresh device; a fresh disk where the target offers that). A fault is left for
     * the next run to report: it retries the reset and records the fault.
     */
    public void hardResetNow() {
        try {
            calls++;
            target.hardReset();
            needHardReset = false;
        } catch (TargetFault f) {
            needHardReset = true;
        }
        guestPageSize = 0;
        prevHi = ARENA;
    }

    /**
     * Runs {@code program} from a device reset. {@code expected}, when given, is the reference's observation of
     * the same program: an asynchronous target is given up to the settle time per notify to reach the used idx
     * the reference reached.
     */
    public Observation run(Program program, Observation expected) {
        obs.clear();
        try {
            begin();
        } catch (TargetFault f) {
            obs.fault = f;
            obs.faultOp = -1;
            needHardReset = true;
            return obs;
        }
        List<Op> ops = program.ops();
        int expIdx = 0;
        for (opIndex = 0; opIndex < ops.size(); opIndex++) {
            Op op = ops.get(opIndex);
            try {
                int notified = notifiedQueue(op);
                if (notified != Integer.MIN_VALUE) {
                    long want = -1;
                    long wantIsr = -1;
                    long wantStatus = -1;
                    if (expected != null && opIndex < Differential.strictLimit(expected)) {
                        // Only where the outcome is compared: later, the target's may differ legitimately.
                        while (expIdx < expected.n && expected.op[expIdx] < opIndex) {
                            expIdx++;
                        }
                        if (expIdx + 2 < expected.n && expected.op[expIdx] == opIndex
                                && expected.kind[expIdx] == Observation.USED_IDX) {
                            want = expected.value[expIdx];
                            wantIsr = expected.value[expIdx + 1];
                            wantStatus = expected.value[expIdx + 2];
                        }
                    }
                    notify(notified, notifyValue(op), want, wantIsr, wantStatus);
                } else {
                    if (settleNanos > 0 && changesWhatIsAvailable(op)) {
                        allowAllQueues();
                    }
                    step(op);
                }
            } catch (TargetFault f) {
                obs.fault = f;
                obs.faultOp = opIndex;
                needHardReset = true;
                return obs;
            }
            if (target instanceof ReferenceTarget rt) {
                ReferenceBlockDevice d = rt.device();
                if (obs.violationOp < 0 && d.hasDriverViolations()) {
                    obs.violationOp = opIndex;
                }
                if (obs.needsResetOp < 0 && d.needsReset()) {
                    obs.needsResetOp = opIndex;
                }
                obs.negotiated = d.negotiatedFeatures();
            }
        }
        try {
            finish();
        } catch (TargetFault f) {
            obs.fault = f;
            obs.faultOp = ops.size();
            needHardReset = true;
        }
        return obs;
    }

    // ------------------------------------------------------------------------------------------ run phases

    private void begin() {
        if (needHardReset) {
            target.hardReset();
            needHardReset = false;
            guestPageSize = 0;
            prevHi = ARENA;
        }
        calls++;
        target.write(STATUS, 4, 0);
        if (target instanceof ReferenceTarget rt) {
            rt.device().clearDriverViolations();
        }
        // Restore the arena part the last run touched (shadow and device) to the canary.
        System.arraycopy(CANARY, 0, shadow, 0, prevHi);
        Arrays.fill(allowMask, 0, prevHi, false);
        Arrays.fill(asDataMask, 0, prevHi, false);
        markDirty(0, prevHi);
        hi = 0;
        checked = 0;
        gen++;
        allowN = 0;
        allowOverflow = false;
        queueSel = 0;
        driverFeatures = 0;
        driverFeaturesSel = 0;
        for (Queue q : queues) {
            q.size = 0;
            q.desc = q.avail = q.used = 0;
            q.availIdx = 0;
            q.touched = false;
            q.notifiedUsed = -1;
            q.collected = 0;
            q.pfn = 0;
            q.align = 0;
            q.alignWritten = false;
            q.kept.resetRegisters();
            q.taken.resetRegisters();
            q.maxSized.resetRegisters();
            q.sizeKept = false;
        }
    }

    private void finish() {
        flush();
        if (settleNanos > 0) {
            // An asynchronous device reads a chain some time after the notify: the driver may have rewritten it
            // by then (a driver-rule violation), so the chains as they stand now are the device's to write too.
            for (Queue q : queues) {
                int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
                if (size > 0 && q.notifiedUsed >= 0) {
                    allowLayout(q, size, q.desc, q.avail, q.used, 0, Math.min(size, 256), false);
                }
                allowView(q, q.kept);
                allowView(q, q.taken);
            }
        }
        int check = Math.min(ARENA, ((hi + 63) & ~63) + 256);
        calls++;
        target.readMemory(ramBase, after, 0, check);
        checked = check;
        // Canary: compare the checked region with the shadow, skipping device-writable bytes.
        int i = 0;
        while (i < check) {
            int m = Arrays.mismatch(after, i, check, shadow, i, check);
            if (m < 0) {
                break;
            }
            int at = i + m;
            if (asDataMask[at] && !allowMask[at]) {
                obs.canaryAsDataBytes++;
            } else if (!allowMask[at]) {
                if (obs.canaryBytes == 0) {
                    obs.canaryFirst = at;
                }
                obs.canaryBytes++;
            }
            i = at + 1;
        }
        obs.canaryUnchecked = allowOverflow;
        prevHi = obs.canaryBytes > 0 ? ARENA : check;
        if (target instanceof ReferenceTarget rt) {
            ReferenceBlockDevice d = rt.device();
            var v = d.driverViolations();
            if (!v.isEmpty()) {
                String[] s = new String[v.size()];
                for (int k = 0; k < s.length; k++) {
                    s[k] = v.get(k).toString();
                }
                obs.violations = List.of(s);
            }
            obs.needsResetReason = d.needsResetReason();
        }
    }

    /** Reads the used elements the device published since the last notify and describes each at once. */
    private void collectNew(int qi, Queue q, int usedIdx) {
        int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
        int from = q.collected;
        int n = (usedIdx - from) & 0xffff;
        if (n > size || n > 64) {
            q.collected = usedIdx; // a bogus jump (or the ring was overwritten): nothing trustworthy to read
            return;
        }
        for (int k = 0; k < n; k++) {
            int slot = Integer.remainderUnsigned(from + k, size);
            long elem = q.used + 4 + 8L * slot;
            long id = readLe32(elem);
            long len = readLe32(elem + 4);
            if (id < 0 || len < 0) {
                break;
            }
            int u = obs.addUsed();
            obs.uQueue[u] = qi;
            obs.uHead[u] = (int) id;
            obs.uOp[u] = opIndex;
            obs.uLen[u] = len;
            describeCompletion(u, q, (int) id);
        }
        q.collected = usedIdx;
    }

    /** Summarizes the chain just walked into the queue's record for {@code head}. */
    private void record(Queue q, int head) {
        long readable = 0;
        long writable = 0;
        long firstReadable = -1;
        long firstReadableLen = 0;
        int lastW = -1;
        int nseg = 0;
        for (int s = 0; s < segN; s++) {
            if (segWrite[s]) {
                writable += segLen[s];
                if (segLen[s] > 0) {
                    lastW = s;
                }
                if (nseg < SEGS) {
                    q.cSegA[head * SEGS + nseg] = segAddr[s];
                    q.cSegL[head * SEGS + nseg] = segLen[s];
                    nseg++;
                }
            } else {
                if (firstReadable < 0 && segLen[s] > 0) {
                    firstReadable = segAddr[s];
                    firstReadableLen = segLen[s];
                }
                readable += segLen[s];
            }
        }
        q.cGen[head] = gen;
        q.cSegN[head] = nseg;
        q.cNonHeadIndirect[head] = nonHeadIndirect;
        q.cShared[head] = false;
        q.cWritable[head] = writable;
        q.cDataOut[head] = Math.max(0, readable - Blk.HEADER_SIZE);
        q.cStatusAt[head] = lastW < 0 ? -1 : segAddr[lastW] + segLen[lastW] - 1;
        q.cType[head] = -1;
        q.cSector[head] = 0;
        if (firstReadable >= 0 && firstReadableLen >= Blk.HEADER_SIZE && inArena(firstReadable, 16)) {
            q.cType[head] = (int) shadowLe(firstReadable, 4);
            q.cSector[head] = shadowLe(firstReadable + 8, 8);
        }
    }

    /** Describes a completion from what the harness recorded of the chain when it was offered. */
    private void describeCompletion(int u, Queue q, int head) {
        obs.uStatus[u] = -1;
        obs.uType[u] = -1;
        obs.uWritable[u] = 0;
        obs.uNonHeadIndirect[u] = false;
        obs.uShared[u] = false;
        obs.uExtent[u] = 0;
        obs.uDataHash[u] = 0;
        obs.uSector[u] = 0;
        obs.uDataOut[u] = 0;
        if (head < 0 || head >= CHAINS || q.cGen[head] != gen) {
            return;
        }
        long writable = q.cWritable[head];
        obs.uWritable[u] = writable;
        obs.uNonHeadIndirect[u] = q.cNonHeadIndirect[head];
        obs.uShared[u] = q.cShared[head];
        obs.uDataOut[u] = q.cDataOut[head];
        obs.uType[u] = q.cType[head];
        obs.uSector[u] = q.cSector[head];
        if (q.cStatusAt[head] < 0) {
            return;
        }
        obs.uStatus[u] = readByte(q.cStatusAt[head]);
        // Lower bound of bytes written: last changed byte of the writable stream; hash of the data part.
        long pos = 0;
        long extent = 0;
        long hash = 0x9E3779B97F4A7C15L;
        for (int k = 0; k < q.cSegN[head]; k++) {
            long a = q.cSegA[head * SEGS + k];
            long len = q.cSegL[head * SEGS + k];
            if (!inArena(a, len) || len > bounce.length) {
                pos += len;
                continue;
            }
            int base = (int) a;
            calls++;
            target.readMemory(ramBase + a, bounce, 0, (int) len);
            for (int b = 0; b < len; b++) {
                byte now = bounce[b];
                if (now != shadow[base + b]) {
                    extent = pos + b + 1;
                }
                if (pos + b < writable - 1) {
                    hash = (hash ^ (now & 0xff)) * 0x100000001B3L;
                }
            }
            pos += len;
        }
        obs.uExtent[u] = extent;
        obs.uDataHash[u] = hash;
    }

    // ------------------------------------------------------------------------------------------ ops

    private void step(Op op) {
        switch (op) {
            case Op.Read r -> read(r);
            case Op.Write w -> regWrite(w.offset(), w.width(), w.value());
            case Op.SetStatus s -> regWrite(STATUS, 4, s.value() & 0xffffffffL);
            case Op.Features f -> {
                regWrite(DRIVER_FEATURES_SEL, 4, f.select() & 0xffffffffL);
                regWrite(DRIVER_FEATURES, 4, f.value() & 0xffffffffL);
            }
            case Op.QueueSetup q -> queueSetup(q);
            case Op.QueueReady q -> {
                regWrite(QUEUE_SEL, 4, q.queue() & 0xffffffffL);
                regWrite(QUEUE_READY, 4, q.value() & 0xffffffffL);
            }
            case Op.QueueReset q -> {
                regWrite(QUEUE_SEL, 4, q.queue() & 0xffffffffL);
                regWrite(QUEUE_RESET, 4, 1);
            }
            case Op.Descriptor d -> {
                Queue q = queue(d.queue());
                if (q != null) {
                    long at = q.desc + 16L * d.index();
                    putDesc(at, d.addr(), d.len(), d.flags(), d.next());
                }
            }
            case Op.IndirectTable t -> {
                for (int i = 0; i < t.entries().size() && i < 256; i++) {
                    Op.Entry e = t.entries().get(i);
                    putDesc(t.at() + 16L * i, e.addr(), e.len(), e.flags(), e.next());
                }
            }
            case Op.Header h -> {
                putLe(h.at(), h.type() & 0xffffffffL, 4);
                putLe(h.at() + 4, h.ioprio() & 0xffffffffL, 4);
                putLe(h.at() + 8, h.sector(), 8);
            }
            case Op.Payload p -> payload(p);
            case Op.Segment g -> {
                putLe(g.at(), g.sector(), 8);
                putLe(g.at() + 8, g.sectors() & 0xffffffffL, 4);
                putLe(g.at() + 12, g.flags() & 0xffffffffL, 4);
            }
            case Op.Avail a -> {
                Queue q = queue(a.queue());
                if (q != null && q.size > 0) {
                    putLe(q.avail + 4 + 2L * Integer.remainderUnsigned(q.availIdx, q.size), a.head(), 2);
                    q.availIdx = (q.availIdx + 1) & 0xffff;
                    putLe(q.avail + 2, q.availIdx, 2);
                }
            }
            case Op.AvailIdx a -> {
                Queue q = queue(a.queue());
                if (q != null) {
                    q.availIdx = a.idx() & 0xffff;
                    putLe(q.avail + 2, q.availIdx, 2);
                }
            }
            case Op.Ack a -> regWrite(INTERRUPT_ACK, 4, a.bits() & 0xffffffffL);
            case Op.Notify n -> notify(n.queue(), n.queue() & 0xffffffffL, -1, -1, -1);
        }
    }

    private Queue queue(int index) {
        return index >= 0 && index < MAX_QUEUES ? queues[index] : null;
    }

    private void read(Op.Read r) {
        int off = r.offset() & (WINDOW - 1);
        int width = r.width();
        boolean odd = width != 1 && width != 2 && width != 4 && width != 8;
        if (width < 1 || width > 8 || off + width > WINDOW || (odd && !oddWidths)) {
            obs.add(Observation.READ, opIndex, Observation.NONE);
            return;
        }
        flush();
        calls++;
        long v = target.read(off, width);
        if (width < 8) {
            v &= (1L << (8 * width)) - 1;
        }
        obs.add(Observation.READ, opIndex, v);
    }

    private void regWrite(int offset, int width, long value) {
        int off = offset & (WINDOW - 1);
        boolean odd = width != 1 && width != 2 && width != 4 && width != 8;
        if (width < 1 || width > 8 || off + width > WINDOW || (odd && !oddWidths)) {
            return;
        }
        flush();
        if (width == 4 && (off & 3) == 0) {
            track(off, (int) value);
        }
        calls++;
        target.write(off, width, width == 8 ? value : value & ((1L << (8 * width)) - 1));
    }

    /** Follows the queue layout registers so the harness knows where the rings are. */
    private void track(int off, int v) {
        Queue q = queue(queueSel);
        trackDevice(q, off, v);
        switch (off) {
            case QUEUE_SEL -> queueSel = v;
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
                if (legacy && v == 0) {
                    for (Queue x : queues) { // a device reset zeroes QueuePFN and QueueAlign (mmio-legacy.dev.5)
                        x.pfn = 0;
                        x.align = 0;
                        x.alignWritten = false;
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The device's views of the queue registers (the shared rules, both live-write policies). */
    private void trackDevice(Queue q, int off, int v) {
        if (off == DRIVER_FEATURES_SEL) {
            driverFeaturesSel = v;
        } else if (off == DRIVER_FEATURES && driverFeaturesSel == 0) {
            driverFeatures = v & 0xffffffffL;
        }
        if (off == STATUS && v == 0) {
            driverFeatures = 0;
            driverFeaturesSel = 0;
            for (Queue x : queues) { // a device reset zeroes every queue register (mmio.dev.6, mmio-legacy.dev.5)
                x.kept.resetRegisters();
                x.taken.resetRegisters();
                x.maxSized.resetRegisters();
                x.sizeKept = false;
            }
            return;
        }
        if (q == null) {
            return;
        }
        if (off == QUEUE_READY && !legacy) {
            q.kept.readyValue = v;
            q.taken.readyValue = v;
        } else if (off == QUEUE_RESET && v == 1 && !legacy) {
            q.taken.resetRegisters(); // a device may not reset the queue (RING_RESET not negotiated): keep both
        } else if (off == QUEUE_PFN || QueueRegisters.layoutRegister(off, legacy)) {
            q.kept.writeLayout(off, v, legacy, guestPageSize, LivePolicy.IGNORE);
            q.taken.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
            boolean invalidSize = off == QUEUE_NUM && (!powerOfTwo(v) || Integer.compareUnsigned(v, queueNumMax) > 0);
            if (invalidSize && queueNumMax > 0) {
                q.sizeKept = true; // split-desc.drv.1 / mmio.drv.14 broken: a device may keep a size of its own
                q.maxSized.copyRegisters(q.taken);
                q.maxSized.writeLayout(QUEUE_NUM, queueNumMax, legacy, guestPageSize, LivePolicy.APPLY);
            } else {
                q.maxSized.writeLayout(off, v, legacy, guestPageSize, LivePolicy.APPLY);
            }
        } else {
            return;
        }
        if (obs.layoutOp < 0 && !q.kept.sameLayout(q.taken)) {
            obs.layoutOp = opIndex;
        }
    }

    private static boolean powerOfTwo(int v) {
        return QueueRegisters.powerOfTwo(v);
    }

    /** The page size the device uses for QueuePFN: GuestPageSize, or 4096 when never set or not a power of two. */
    private long legacyPageSize() {
        return powerOfTwo(guestPageSize) ? guestPageSize & 0xffffffffL : 4096;
    }

    private static long legacyAlign(Queue q) {
        return q.alignWritten && powerOfTwo(q.align) ? q.align & 0xffffffffL : 4096;
    }

    /** Legacy: QueuePFN places the three rings contiguously (§2.7.2), from the queue size and alignment in force. */
    private void trackPfn(Queue q, int v) {
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

    private void setAddr(Queue q, int which, int v, boolean high) {
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

    private void queueSetup(Op.QueueSetup s) {
        if (s.legacy()) {
            legacyQueueSetup(s);
            return;
        }
        regWrite(QUEUE_SEL, 4, s.queue() & 0xffffffffL);
        regWrite(QUEUE_NUM, 4, s.size() & 0xffffffffL);
        long d = ramBase + s.desc();
        long a = ramBase + s.avail();
        long u = ramBase + s.used();
        regWrite(QUEUE_DESC_LOW, 4, d & 0xffffffffL);
        regWrite(QUEUE_DESC_HIGH, 4, d >>> 32);
        regWrite(QUEUE_DRIVER_LOW, 4, a & 0xffffffffL);
        regWrite(QUEUE_DRIVER_HIGH, 4, a >>> 32);
        regWrite(QUEUE_DEVICE_LOW, 4, u & 0xffffffffL);
        regWrite(QUEUE_DEVICE_HIGH, 4, u >>> 32);
        Queue q = queue(s.queue());
        if (q != null) {
            int size = Math.max(0, Math.min(s.size(), SplitRing.MAX_QUEUE_SIZE));
            zero(s.avail(), SplitRing.availRingBytes(size));
            zero(s.used(), SplitRing.usedRingBytes(size));
            q.availIdx = 0;
            q.collected = 0;
        }
    }

    /**
     * QueueSel, QueueNum, QueueAlign, QueuePFN (the legacy driver's order, §4.2.4.1). The rings are zeroed before
     * the PFN write activates the queue. The harness follows the registers it wrote, so a PFN that does not land
     * on {@code desc} (an unaligned desc, an odd page size) still leaves its view where the device looks.
     */
    private void legacyQueueSetup(Op.QueueSetup s) {
        regWrite(QUEUE_SEL, 4, s.queue() & 0xffffffffL);
        regWrite(QUEUE_NUM, 4, s.size() & 0xffffffffL);
        regWrite(QUEUE_ALIGN, 4, s.align() & 0xffffffffL);
        long page = legacyPageSize();
        long pfn = Long.divideUnsigned(ramBase + s.desc(), page);
        Queue q = queue(s.queue());
        if (q != null) {
            int size = Math.max(0, Math.min(s.size(), SplitRing.MAX_QUEUE_SIZE));
            long base = pfn * page - ramBase;
            long align = legacy && q.pfn == 0 ? legacyAlign(q) : powerOfTwo(s.align()) ? s.align() & 0xffffffffL
                    : 4096;
            zero(base + SplitRing.descTableBytes(size), SplitRing.availRingBytes(size));
            zero(base + SplitRing.legacyUsedOffset(size, align), SplitRing.usedRingBytes(size));
            q.availIdx = 0;
            q.collected = 0;
        }
        regWrite(QUEUE_PFN, 4, pfn & 0xffffffffL);
    }

    /**
     * Notifies and observes used idx, InterruptStatus and Status. With the reference's outcome given (want*, -1
     * when unknown) and an asynchronous target (settle time above 0), the three are polled until they agree with
     * the reference's as far as the differential compares them, for at most the settle time: an asynchronous
     * device completes a request some time after the notification, like the suites' bounded used-idx waits.
     */
    private void notify(int queueIndex, long value, long wantUsedIdx, long wantIsr, long wantStatus) {
        Queue q = queue(queueIndex);
        flush();
        if (q != null) {
            allowQueue(q);
        }
        regWrite(QUEUE_NOTIFY, 4, value);
        boolean hasRing = q != null && q.size > 0;
        boolean wait = settleNanos > 0 && wantStatus >= 0;
        long deadline = System.nanoTime() + settleNanos;
        long usedIdx;
        long isr;
        long status;
        for (;;) {
            usedIdx = hasRing ? readLe16(q.used + 2) : Observation.NONE;
            calls += 2;
            isr = target.read(INTERRUPT_STATUS, 4) & 0xffffffffL;
            status = target.read(STATUS, 4) & 0xffffffffL;
            if (!wait || settled(usedIdx, isr, status, wantUsedIdx, wantIsr, wantStatus)
                    || System.nanoTime() - deadline >= 0) {
                break;
            }
            Thread.onSpinWait();
        }
        if (hasRing) {
            if (usedIdx < 0) {
                usedIdx = Observation.NONE;
            } else {
                q.notifiedUsed = (int) usedIdx;
                collectNew(queueIndex, q, (int) usedIdx);
            }
        }
        obs.add(Observation.USED_IDX, opIndex, usedIdx);
        obs.add(Observation.ISR, opIndex, isr);
        obs.add(Observation.STATUS, opIndex, status);
    }

    /**
     * Whether an op may change which chains are available or what they point to (or reset the device). An
     * asynchronous device may serve any available chain at any moment after DRIVER_OK, notified or not
     * (split-desc.dev.3), so before such an op the chains available so far are the device's to write.
     */
    private static boolean changesWhatIsAvailable(Op op) {
        return op instanceof Op.Descriptor || op instanceof Op.IndirectTable || op instanceof Op.Avail
                || op instanceof Op.AvailIdx || op instanceof Op.QueueSetup || op instanceof Op.SetStatus
                || op instanceof Op.Write || op instanceof Op.QueueReady || op instanceof Op.QueueReset;
    }

    private void allowAllQueues() {
        for (Queue q : queues) {
            if (q.size > 0 || q.kept.size > 0 || q.taken.size > 0) {
                allowQueue(q);
            }
        }
    }

    /**
     * The queue an op notifies, or {@link Integer#MIN_VALUE}: a Notify op, or a plain 32-bit write to QueueNotify
     * (observed the same way, so an asynchronous device gets the same bounded wait). With NOTIFICATION_DATA the
     * queue index is the low 16 bits; the harness reads the value's low 16 bits when they name a tracked queue.
     */
    private static int notifiedQueue(Op op) {
        if (op instanceof Op.Notify n) {
            return n.queue();
        }
        if (op instanceof Op.Write w && (w.offset() & (WINDOW - 1)) == QUEUE_NOTIFY && w.width() == 4) {
            long v = w.value() & 0xffffffffL;
            return v < MAX_QUEUES ? (int) v : (int) (v & 0xffff);
        }
        return Integer.MIN_VALUE;
    }

    private static long notifyValue(Op op) {
        return op instanceof Op.Notify n ? n.queue() & 0xffffffffL : ((Op.Write) op).value() & 0xffffffffL;
    }

    /** Whether the target's outcome agrees with the reference's where {@link Differential} compares it. */
    private static boolean settled(long usedIdx, long isr, long status, long wantUsedIdx, long wantIsr,
                                   long wantStatus) {
        return (wantUsedIdx == Observation.NONE || usedIdx == wantUsedIdx) && status == wantStatus
                && ((isr ^ wantIsr) & INT_CONFIG_CHANGE) == 0 && (wantIsr & ~isr & INT_USED_BUFFER) == 0;
    }

    /**
     * Marks the used ring and every writable buffer of the chains in the avail ring as device-writable: of the
     * driver's layout (the entries not completed yet), and of each device view of the layout that differs from it
     * (every slot of its avail ring: which ones the device still has to serve is unknown).
     */
    private void allowQueue(Queue q) {
        int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
        if (size > 0) {
            int pending = (q.availIdx - q.collected) & 0xffff;
            allowLayout(q, size, q.desc, q.avail, q.used, q.collected, Math.min(Math.min(size, 256), pending), true);
        }
        allowView(q, q.kept);
        if (!q.taken.sameLayout(q.kept)) {
            allowView(q, q.taken);
        }
        if (q.sizeKept) {
            allowView(q, q.maxSized);
        }
    }

    private void allowView(Queue q, QueueRegisters v) {
        long desc = v.descAddr - ramBase;
        long avail = v.driverAddr - ramBase;
        long used = v.deviceAddr - ramBase;
        int size = Math.min(v.size, SplitRing.MAX_QUEUE_SIZE);
        if (size <= 0 || size == q.size && desc == q.desc && avail == q.avail && used == q.used) {
            return;
        }
        allowLayout(q, size, desc, avail, used, 0, Math.min(size, 256), false);
    }

    private void allowLayout(Queue q, int size, long desc, long avail, long used, int from, int slots,
                             boolean driverView) {
        allow(used, SplitRing.usedRingBytes(size));
        int walkedCount = 0;
        for (int k = 0; k < slots; k++) {
            int slot = Integer.remainderUnsigned(from + k, size);
            int head = readShadowLe16(avail + 4 + 2L * slot);
            if (head < 0 || head >= size || walked[head]) {
                continue;
            }
            walked[head] = true;
            if (walkedCount == q.walkedHeads.length) {
                q.walkedHeads = Arrays.copyOf(q.walkedHeads, walkedCount * 2);
            }
            q.walkedHeads[walkedCount++] = head;
            if (walk(desc, size, head)) {
                long descEnd = desc + SplitRing.descTableBytes(size);
                long availEnd = avail + SplitRing.availRingBytes(size);
                long usedEnd = used + SplitRing.usedRingBytes(size);
                for (int s = 0; s < segN; s++) {
                    if (segWrite[s]) {
                        allow(segAddr[s], segLen[s]);
                        long a = segAddr[s];
                        long e = a + segLen[s];
                        if (driverView && obs.violationOp < 0 && (a < descEnd && e > desc || a < availEnd
                                && e > avail || a < usedEnd && e > used)) {
                            obs.violationOp = opIndex; // a device-writable buffer overlaps the rings
                        }
                    }
                }
                if (driverView && head < CHAINS) {
                    record(q, head);
                }
            }
        }
        if (driverView && walkedCount > 1) {
            markSharedStatus(q, walkedCount);
        }
        for (int k = 0; k < walkedCount; k++) {
            walked[q.walkedHeads[k]] = false;
        }
    }

    /**
     * Chains offered together whose status byte lies in another one's writable buffer: which value stays there
     * depends on the order of completion, which is free without IN_ORDER, so their status is not compared.
     */
    private void markSharedStatus(Queue q, int walkedCount) {
        for (int k = 0; k < walkedCount; k++) {
            int a = q.walkedHeads[k];
            if (a >= CHAINS || q.cGen[a] != gen || q.cStatusAt[a] < 0) {
                continue;
            }
            long at = q.cStatusAt[a];
            for (int j = 0; j < walkedCount && !q.cShared[a]; j++) {
                int b = q.walkedHeads[j];
                if (b == a || b >= CHAINS || q.cGen[b] != gen) {
                    continue;
                }
                for (int s = 0; s < q.cSegN[b]; s++) {
                    long lo = q.cSegA[b * SEGS + s];
                    if (at >= lo && at < lo + q.cSegL[b * SEGS + s]) {
                        q.cShared[a] = true;
                        q.cShared[b] = true;
                        break;
                    }
                }
            }
        }
    }

    /**
     * Walks a chain in the shadow image, permissively (any flags, one level of indirection, bounded), and leaves
     * its buffers in {@code seg*}. Returns false if the chain could not be read at all.
     */
    private boolean walk(long desc, int size, int head) {
        segN = 0;
        nonHeadIndirect = false;
        int idx = head;
        for (int steps = 0; steps < MAX_CHAIN && idx < size; steps++) {
            long d = desc + 16L * idx;
            if (!inArena(d, 16)) {
                return segN > 0;
            }
            long addr = shadowLe(d, 8);
            long len = shadowLe(d + 8, 4);
            int flags = (int) shadowLe(d + 12, 2);
            int next = (int) shadowLe(d + 14, 2);
            long off = addr - ramBase;
            if ((flags & SplitRing.DESC_F_INDIRECT) != 0) {
                if (steps > 0) {
                    nonHeadIndirect = true;
                    if ((flags & SplitRing.DESC_F_WRITE) != 0 && off >= 0 && off < ARENA && len > 0) {
                        int e = (int) Math.min(ARENA, off + len);
                        Arrays.fill(asDataMask, (int) off, e, true);
                        hi = Math.max(hi, e);
                    }
                }
                if (!indirectAccepted() && (flags & SplitRing.DESC_F_WRITE) != 0) {
                    // Without INDIRECT_DESC a device may take the descriptor for a plain buffer: its to write too.
                    addSeg(off, len, true);
                }
                int entries = (int) Math.min(len / 16, MAX_CHAIN);
                int j = 0;
                for (int s = 0; s < MAX_CHAIN && j < entries; s++) {
                    long e = off + 16L * j;
                    if (!inArena(e, 16)) {
                        break;
                    }
                    long ea = shadowLe(e, 8) - ramBase;
                    long el = shadowLe(e + 8, 4);
                    int ef = (int) shadowLe(e + 12, 2);
                    addSeg(ea, el, (ef & SplitRing.DESC_F_WRITE) != 0);
                    if ((ef & SplitRing.DESC_F_NEXT) == 0) {
                        break;
                    }
                    j = (int) shadowLe(e + 14, 2);
                }
            } else {
                addSeg(off, len, (flags & SplitRing.DESC_F_WRITE) != 0);
            }
            if ((flags & SplitRing.DESC_F_NEXT) == 0) {
                break;
            }
            idx = next;
        }
        return true;
    }

    /** Whether the driver accepted VIRTIO_F_INDIRECT_DESC (bit 28) in the features it last wrote. */
    private boolean indirectAccepted() {
        return (driverFeatures & (1L << 28)) != 0;
    }

    private void addSeg(long addr, long len, boolean write) {
        if (segN < segAddr.length) {
            segAddr[segN] = addr;
            segLen[segN] = len;
            segWrite[segN] = write;
            segN++;
        }
    }

    private void allow(long off, long len) {
        if (len <= 0) {
            return;
        }
        long end = off + len;
        if (end < off) {
            end = Long.MAX_VALUE; // wrapped past the top of the address space
        }
        if (end > 0 && off < ARENA) {
            // also the in-arena part of a buffer that starts below guest RAM
            int a = (int) Math.max(0, off);
            int e = (int) Math.min(ARENA, end);
            Arrays.fill(allowMask, a, e, true);
            hi = Math.max(hi, e);
        }
        if (end > ARENA || off < 0) {
            if (allowN < MAX_ALLOWED) {
                allowLo[allowN] = off;
                allowHi[allowN] = end;
                allowN++;
            } else {
                allowOverflow = true;
            }
        }
    }

    private static final byte[] PATTERN = new byte[1 << 17];

    static {
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < PATTERN.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            PATTERN[i] = (byte) x;
        }
    }

    /** Request data: {@code len} bytes of a fixed pseudo-random pattern, starting at a seed-dependent offset. */
    private void payload(Op.Payload p) {
        int len = Math.max(0, Math.min(p.len(), 1 << 20));
        int start = (p.seed() * 4099) & 0xffff;
        for (int done = 0; done < len; ) {
            int n = Math.min(1 << 16, len - done);
            if (inArena(p.at() + done, n)) {
                System.arraycopy(PATTERN, start, shadow, (int) (p.at() + done), n);
                markDirty((int) (p.at() + done), (int) (p.at() + done) + n);
                hi = Math.max(hi, (int) (p.at() + done) + n);
                if (obs.violationOp < 0 && overlapsLiveUsedRing(p.at() + done, n)) {
                    obs.violationOp = opIndex;
                }
            } else {
                System.arraycopy(PATTERN, start, bounce, 0, Math.min(n, bounce.length));
                for (int k = 0; k < n; k += bounce.length) {
                    putBytes(p.at() + done + k, bounce, Math.min(bounce.length, n - k));
                }
            }
            done += n;
        }
    }

    // ------------------------------------------------------------------------------------------ memory

    private static boolean inArena(long off, long len) {
        return off >= 0 && len >= 0 && off <= ARENA && len <= ARENA - off;
    }

    private boolean inRam(long off, long len) {
        return off >= 0 && len >= 0 && Long.compareUnsigned(off, ramSize) <= 0 && len <= ramSize - off;
    }

    /**
     * Records a shadow range to write to the target. Ranges merge only when they touch, so a flush never rewrites
     * bytes in between (which the device may have written since).
     */
    private void markDirty(int lo, int hiExclusive) {
        if (hiExclusive <= lo) {
            return;
        }
        for (int i = 0; i < dirtyN; i++) {
            if (lo <= dirtyB[i] && hiExclusive >= dirtyA[i]) {
                dirtyA[i] = Math.min(dirtyA[i], lo);
                dirtyB[i] = Math.max(dirtyB[i], hiExclusive);
                return;
            }
        }
        if (dirtyN == dirtyA.length) {
            flush();
        }
        dirtyA[dirtyN] = lo;
        dirtyB[dirtyN] = hiExclusive;
        dirtyN++;
    }

    private void flush() {
        for (int i = 0; i < dirtyN; i++) {
            calls++;
            target.writeMemory(ramBase + dirtyA[i], shadow, dirtyA[i], dirtyB[i] - dirtyA[i]);
        }
        dirtyN = 0;
    }

    private void putBytes(long off, byte[] src, int len) {
        if (obs.violationOp < 0 && overlapsLiveUsedRing(off, len)) {
            obs.violationOp = opIndex; // the driver (this program) scribbled over device-owned ring memory
        }
        if (inArena(off, len)) {
            System.arraycopy(src, 0, shadow, (int) off, len);
            markDirty((int) off, (int) off + len);
            hi = Math.max(hi, (int) off + len);
        } else if (inRam(off, len)) {
            flush();
            calls++;
            target.writeMemory(ramBase + off, src, 0, len);
        }
    }

    private boolean overlapsLiveUsedRing(long off, long len) {
        for (Queue q : queues) {
            if (q.notifiedUsed >= 0 && q.size > 0) {
                long end = q.used + SplitRing.usedRingBytes(Math.min(q.size, SplitRing.MAX_QUEUE_SIZE));
                if (off < end && off + len > q.used) {
                    return true;
                }
            }
        }
        return false;
    }

    private void putLe(long off, long v, int width) {
        for (int i = 0; i < width; i++) {
            small[i] = (byte) (v >>> (8 * i));
        }
        putBytes(off, small, width);
    }

    private void putDesc(long off, long addrOffset, long len, int flags, int next) {
        long gpa = ramBase + addrOffset;
        for (int i = 0; i < 8; i++) {
            small[i] = (byte) (gpa >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            small[8 + i] = (byte) (len >>> (8 * i));
        }
        small[12] = (byte) flags;
        small[13] = (byte) (flags >>> 8);
        small[14] = (byte) next;
        small[15] = (byte) (next >>> 8);
        putBytes(off, small, 16);
    }

    private void zero(long off, long len) {
        if (len <= 0) {
            return;
        }
        if (inArena(off, len)) {
            Arrays.fill(shadow, (int) off, (int) (off + len), (byte) 0);
            markDirty((int) off, (int) (off + len));
            hi = Math.max(hi, (int) (off + len));
        } else if (inRam(off, len) && len <= bounce.length) {
            Arrays.fill(bounce, 0, (int) len, (byte) 0);
            putBytes(off, bounce, (int) len);
        }
    }

    private long shadowLe(long off, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (shadow[(int) off + i] & 0xff);
        }
        return v;
    }

    private int readShadowLe16(long off) {
        return inArena(off, 2) ? (int) shadowLe(off, 2) : -1;
    }

    /** Reads from the device side: the after-image inside the checked region, the target otherwise. */
    private long readDevice(long off, int width) {
        if (!inRam(off, width)) {
            return -1;
        }
        if (off >= 0 && off + width <= checked) {
            System.arraycopy(after, (int) off, small, 0, width);
        } else {
            calls++;
            target.readMemory(ramBase + off, small, 0, width);
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (small[i] & 0xff);
        }
        return v;
    }

    private int readLe16(long off) {
        return (int) readDevice(off, 2);
    }

    private long readLe32(long off) {
        return readDevice(off, 4);
    }

    private int readByte(long off) {
        return (int) readDevice(off, 1);
    }

    /** Whether a RAM offset range lies in a region the device was allowed to write (outside the arena). */
    public boolean allowedOffArena(long off, long len) {
        for (int i = 0; i < allowN; i++) {
            if (off >= allowLo[i] && off + len <= allowHi[i]) {
                return true;
            }
        }
        return false;
    }
}
