package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import java.util.List;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;

/**
 * Runs {@link Program}s against one {@link Target}, bounded, and records an {@link Observation}: the program's
 * interpreter. Its parts: the {@link ShadowArena} (guest memory as the harness expects it, and the canary oracle),
 * the {@link LayoutTracker} (where the rings are, in the driver's and the device's views) and the
 * {@link ChainWalker} (which bytes the device may write, and what each offered chain was), and the
 * {@link CompletionReader} (what each completion the device published says).
 *
 * <p>Guest memory: the first {@value ShadowArena#ARENA} bytes of the target's RAM window are the arena. Program
 * memory writes go to the shadow and reach the target batched, before the next register access. After the run the
 * arena is read back once; every byte that differs from the shadow outside the device-writable regions (the used
 * rings and the device-writable buffers of every chain the device was offered, as the harness walks them at each
 * notify) is a canary violation.
 *
 * <p>Between runs the device gets a cheap reset (Status = 0, then {@link ResetLeftovers}) and the touched part of the
 * arena is restored to the canary, instead of a hard reset; after a {@link TargetFault} it is hard-reset first.
 *
 * <p>Register offsets are confined to the transport window {@code [0, 0x200)}; odd access widths (3, 5, 6, 7)
 * reach only targets that declare they accept them ({@code oddWidths}); elsewhere such an op is skipped.
 */
public final class Executor {
    /** Size of the checked arena at the start of guest RAM. */
    public static final int ARENA = ShadowArena.ARENA;
    /** Most queues the harness tracks. */
    public static final int MAX_QUEUES = LayoutTracker.MAX_QUEUES;
    private static final int WINDOW = 0x200;

    private final Target target;
    private final boolean oddWidths;
    private final long settleNanos;
    final ShadowArena arena;
    private final LayoutTracker layout;
    private final ChainWalker walker;
    private final Exposure exposure;
    private final ResetLeftovers leftovers;
    /** Judge what the program does to exposed chains ({@link Exposure}): set on the oracle of an async target. */
    private boolean exposureOn;
    /** The op that exposed the oldest chain not yet used on the queue of the last notify, before it. */
    private int notifiedSince = -1;
    private final byte[] small = new byte[16];
    private boolean needHardReset;
    private boolean oracle;
    private final Observation obs = new Observation();
    private final CompletionReader completions;
    private int opIndex;

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
        this.arena = new ShadowArena(target);
        arena.restoreAllChecked = settleMillis > 0;
        this.layout = new LayoutTracker(arena.ramBase, target.read(VERSION, 4) == VERSION_LEGACY);
        this.walker = new ChainWalker(arena, layout);
        this.exposure = new Exposure(walker, layout);
        this.leftovers = new ResetLeftovers(!(target instanceof ReferenceTarget), layout.legacy);
        this.completions = new CompletionReader(arena, walker, obs);
    }

    public Target target() {
        return target;
    }

    public Observation observation() {
        return obs;
    }

    /** Target calls (register and guest-memory accesses, resets) made so far: round trips over a wire link. */
    public long calls() {
        return arena.calls;
    }

    /** QueueNumMax of the target's queues (a device may keep it as the size when QueueNum is invalid). */
    public void queueNumMax(int n) {
        layout.queueNumMax(n);
    }

    /**
     * Makes this the oracle's executor: its observations carry the reference model's driver violations and
     * NEEDS_RESET reason (a device under test's executor leaves them empty, as {@link Observation} documents).
     */
    void oracle() {
        oracle = true;
    }

    /**
     * The device is its own oracle: its observation is compared with itself, so the digest of the data each
     * completion returned ({@link Observation#usedDataHash}, 0 then) would never differ and is not computed.
     */
    void ownOracle() {
        completions.digesting = false;
    }

    /** On the reference oracle of an asynchronous target: follow the chains it may take early ({@link Exposure}). */
    public void judgeExposure(boolean on) {
        exposureOn = on;
    }

    /**
     * Turns off the executor's shortcuts (the device view that keeps QueueNumMax followed only once a size is
     * kept): a test runs the same programs with and without them and requires the same observations and the same
     * guest memory after every run.
     */
    void withoutShortcuts() {
        layout.lazyMaxSized = false;
    }

    /** How often the shortcuts applied: register writes not followed in the QueueNumMax view. */
    long[] shortcutCounts() {
        return new long[] {layout.maxSizedSkipped};
    }

    /** Forces a hard reset before the next run (e.g. after a finding, to resynchronize disks). */
    public void requestHardReset() {
        needHardReset = true;
    }

    /** Hard-resets the target now (fresh device and disk where offered); a fault is left for the next run. */
    public void hardResetNow() {
        try {
            arena.calls++;
            target.hardReset();
            needHardReset = false;
        } catch (TargetFault f) {
            needHardReset = true;
        }
        layout.hardReset();
        leftovers.forget();
        arena.forgetTouched();
    }

    /**
     * Runs {@code program} from a device reset. {@code expected}, when given, is the reference's observation of
     * the same program: an asynchronous target is given up to the settle time per notify to reach the used idx
     * the reference reached.
     */
    public Observation run(Program program, Observation expected) {
        obs.clear();
        try {
            begin(program);
        } catch (TargetFault f) {
            obs.fault = f;
            obs.faultOp = -1;
            needHardReset = true;
            return obs;
        }
        List<Op> ops = program.ops();
        ReferenceBlockDevice d = target instanceof ReferenceTarget rt ? rt.device() : null; // fixed until a hard reset
        int expIdx = 0;
        boolean sawViolation = false;
        for (opIndex = 0; opIndex < ops.size(); opIndex++) {
            Op op = ops.get(opIndex);
            notifiedSince = -1;
            try {
                int notified = NotifyOps.notifiedQueue(op);
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
                    notify(notified, NotifyOps.notifyValue(op), want, wantIsr, wantStatus);
                } else {
                    if (settleNanos > 0 && NotifyOps.changesWhatIsAvailable(op)) {
                        allowAllQueues();
                    }
                    step(op);
                    if (settleNanos > 0) {
                        // An asynchronous device may look at memory between any two target calls: it sees the
                        // program's writes op by op, in program order, never a mix of later and earlier ones.
                        arena.flush();
                    }
                }
            } catch (TargetFault f) {
                obs.fault = f;
                obs.faultOp = opIndex;
                needHardReset = true;
                return obs;
            }
            if (d != null) {
                // A chain found rule-breaking at a notify broke the rule, for a device that took it early, when
                // it was exposed (Exposure).
                int at = notifiedSince >= 0 && NotifyOps.notifiedQueue(op) != Integer.MIN_VALUE ? notifiedSince
                        : opIndex;
                if (!sawViolation && d.hasDriverViolations()) {
                    sawViolation = true;
                    obs.violationOp = obs.violationOp < 0 ? at : Math.min(obs.violationOp, at);
                }
                if (obs.needsResetOp < 0 && d.needsReset()) {
                    obs.needsResetOp = at;
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

    private void begin(Program program) {
        if (needHardReset) {
            target.hardReset();
            needHardReset = false;
            layout.hardReset();
            leftovers.forget();
            arena.forgetTouched();
        }
        target.write(STATUS, 4, 0);
        arena.calls += 1 + leftovers.writeBack(target, program);
        if (target instanceof ReferenceTarget rt) {
            rt.device().clearDriverViolations();
        }
        arena.restore();
        walker.newRun();
        layout.reset();
        exposure.clear();
    }

    private void finish() {
        arena.flush();
        if (settleNanos > 0) {
            // An asynchronous device reads a chain some time after the notify: the driver may have rewritten it
            // by then (a driver-rule violation), so the chains as they stand now are the device's to write too.
            for (TrackedQueue q : layout.queues()) {
                walker.allowAsTheyStand(q, obs, opIndex);
            }
        }
        arena.check(obs);
        if (oracle && target instanceof ReferenceTarget rt) {
            ReferenceBlockDevice d = rt.device();
            if (exposureOn && exposure.any()) {
                exposure.serveWhatIsLeft(d, obs);
                arena.forgetTouched(); // the oracle wrote after the check: restore guest memory whole
            }
            if (d.hasDriverViolations()) {
                obs.driverViolations = d.takeDriverViolations(); // worded only when someone asks (violations())
            }
            obs.needsResetReason = d.needsResetReason();
        }
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
                TrackedQueue q = layout.queue(d.queue());
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
                TrackedQueue q = layout.queue(a.queue());
                if (q != null && q.size > 0) {
                    int pending = (q.availIdx - q.collected) & 0xffff;
                    publishBarrier();
                    putLe(q.avail + 4 + 2L * Integer.remainderUnsigned(q.availIdx, q.size), a.head(), 2);
                    q.availIdx = (q.availIdx + 1) & 0xffff;
                    publishBarrier();
                    putLe(q.avail + 2, q.availIdx, 2);
                    published(a.queue(), pending);
                }
            }
            case Op.AvailIdx a -> {
                TrackedQueue q = layout.queue(a.queue());
                if (q != null) {
                    int pending = (q.availIdx - q.collected) & 0xffff;
                    q.availIdx = a.idx() & 0xffff;
                    publishBarrier();
                    putLe(q.avail + 2, q.availIdx, 2);
                    published(a.queue(), pending);
                }
            }
            case Op.Ack a -> regWrite(INTERRUPT_ACK, 4, a.bits() & 0xffffffffL);
            case Op.Notify n -> notify(n.queue(), n.queue() & 0xffffffffL, -1, -1, -1);
        }
    }

    /**
     * The driver's barrier before it makes buffers available (split.drv.26): against an asynchronous target the
     * avail slot reaches it before the idx (the shadow is flushed by ranges, not byte by byte in program order). A
     * synchronous device acts only in register accesses, which flush anyway.
     */
    private void publishBarrier() {
        if (settleNanos > 0) {
            arena.flush();
        }
    }

    private void published(int queue, int pendingBefore) {
        if (exposureOn) {
            exposure.published(queue, pendingBefore, opIndex);
        }
    }

    private void read(Op.Read r) {
        int off = r.offset() & (WINDOW - 1);
        int width = r.width();
        boolean odd = width != 1 && width != 2 && width != 4 && width != 8;
        if (width < 1 || width > 8 || off + width > WINDOW || (odd && !oddWidths)) {
            obs.add(Observation.READ, opIndex, Observation.NONE);
            return;
        }
        arena.flush();
        arena.calls++;
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
        arena.flush();
        if (exposureOn && off == INTERRUPT_ACK) {
            exposure.acknowledged(obs, opIndex);
        }
        if (width == 4 && (off & 3) == 0) {
            leftovers.wrote(off, (int) value);
            if (layout.track(off, (int) value) && obs.layoutOp < 0) {
                obs.layoutOp = opIndex; // the device's two views of the layout differ from here on
            }
            if (off == STATUS && value == 0) {
                walker.newRun(); // a device reset drops every chain offered so far: their records are stale
            }
        } else {
            leftovers.wroteOddly(off);
            layout.trackWide(off, width, value);
        }
        arena.calls++;
        target.write(off, width, width == 8 ? value : value & ((1L << (8 * width)) - 1));
    }

    private void queueSetup(Op.QueueSetup s) {
        if (s.legacy()) {
            legacyQueueSetup(s);
            return;
        }
        regWrite(QUEUE_SEL, 4, s.queue() & 0xffffffffL);
        regWrite(QUEUE_NUM, 4, s.size() & 0xffffffffL);
        long d = arena.ramBase + s.desc();
        long a = arena.ramBase + s.avail();
        long u = arena.ramBase + s.used();
        regWrite(QUEUE_DESC_LOW, 4, d & 0xffffffffL);
        regWrite(QUEUE_DESC_HIGH, 4, d >>> 32);
        regWrite(QUEUE_DRIVER_LOW, 4, a & 0xffffffffL);
        regWrite(QUEUE_DRIVER_HIGH, 4, a >>> 32);
        regWrite(QUEUE_DEVICE_LOW, 4, u & 0xffffffffL);
        regWrite(QUEUE_DEVICE_HIGH, 4, u >>> 32);
        TrackedQueue q = layout.queue(s.queue());
        if (q != null) {
            int size = Math.max(0, Math.min(s.size(), SplitRing.MAX_QUEUE_SIZE));
            zero(s.avail(), SplitRing.availRingBytes(size));
            zero(s.used(), SplitRing.usedRingBytes(size));
            q.restartRing(false);
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
        long page = layout.legacyPageSize();
        long pfn = Long.divideUnsigned(arena.ramBase + s.desc(), page);
        TrackedQueue q = layout.queue(s.queue());
        if (q != null) {
            int size = Math.max(0, Math.min(s.size(), SplitRing.MAX_QUEUE_SIZE));
            long base = pfn * page - arena.ramBase;
            long align = layout.legacy && q.pfn == 0 ? LayoutTracker.legacyAlign(q) : LayoutTracker.powerOfTwo(s.align()) ? s.align() & 0xffffffffL
                    : 4096;
            zero(base + SplitRing.descTableBytes(size), SplitRing.availRingBytes(size));
            zero(base + SplitRing.legacyUsedOffset(size, align), SplitRing.usedRingBytes(size));
            q.restartRing(true);
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
        TrackedQueue q = layout.queue(queueIndex);
        arena.flush();
        if (q != null) {
            walker.allowQueue(q, obs, opIndex);
            notifiedSince = exposureOn ? exposure.since[queueIndex] : -1;
        }
        regWrite(QUEUE_NOTIFY, 4, value);
        boolean hasRing = q != null && q.size > 0;
        boolean wait = settleNanos > 0 && wantStatus >= 0;
        long deadline = wait ? System.nanoTime() + settleNanos : 0;
        long usedIdx;
        long isr;
        long status;
        for (;;) {
            // Past the deadline, one more look before giving up: a pause of this JVM between a look and the
            // deadline check must not end the wait on what was seen before it.
            boolean last = !wait || System.nanoTime() - deadline >= 0;
            usedIdx = hasRing ? readLe16(q.used + 2) : Observation.NONE;
            arena.calls += 2;
            isr = target.read(INTERRUPT_STATUS, 4) & 0xffffffffL;
            status = target.read(STATUS, 4) & 0xffffffffL;
            if (!wait || last || settled(usedIdx, isr, status, wantUsedIdx, wantIsr, wantStatus)) {
                break;
            }
            Thread.onSpinWait();
        }
        if (hasRing) {
            if (usedIdx < 0) {
                usedIdx = Observation.NONE;
            } else {
                q.notifiedUsed = (int) usedIdx;
                layout.usedSeen = true;
                completions.collect(queueIndex, q, (int) usedIdx, opIndex);
                if (exposureOn) {
                    exposure.used(queueIndex);
                }
            }
        }
        obs.add(Observation.USED_IDX, opIndex, usedIdx);
        obs.add(Observation.ISR, opIndex, isr);
        obs.add(Observation.STATUS, opIndex, status);
    }

    private void allowAllQueues() {
        for (TrackedQueue q : layout.queues()) {
            if (q.size > 0 || q.kept.size > 0 || q.taken.size > 0) {
                walker.allowQueue(q, obs, opIndex);
            }
        }
    }

    /** Whether the target's outcome agrees with the reference's where {@link Differential} compares it. */
    private static boolean settled(long usedIdx, long isr, long status, long wantUsedIdx, long wantIsr,
                                   long wantStatus) {
        return (wantUsedIdx == Observation.NONE || usedIdx == wantUsedIdx) && status == wantStatus
                && ((isr ^ wantIsr) & INT_CONFIG_CHANGE) == 0 && (wantIsr & ~isr & INT_USED_BUFFER) == 0;
    }

    /** Request data: {@code len} bytes of a fixed pseudo-random pattern, starting at a seed-dependent offset. */
    private void payload(Op.Payload p) {
        int len = Math.max(0, Math.min(p.len(), 1 << 20));
        int start = (p.seed() * 4099) & 0xffff;
        for (int done = 0; done < len; ) {
            int n = Math.min(1 << 16, len - done);
            if (ShadowArena.inArena(p.at() + done, n)) {
                exposedWrite(p.at() + done, n);
                arena.write(p.at() + done, ShadowArena.PATTERN, start, n);
                if (obs.violationOp < 0 && layout.overlapsLiveUsedRing(p.at() + done, n)) {
                    obs.violationOp = opIndex;
                }
            } else {
                System.arraycopy(ShadowArena.PATTERN, start, arena.bounce, 0, Math.min(n, arena.bounce.length));
                for (int k = 0; k < n; k += arena.bounce.length) {
                    putBytes(p.at() + done + k, arena.bounce, Math.min(arena.bounce.length, n - k));
                }
            }
            done += n;
        }
    }

    private void exposedWrite(long off, long len) {
        if (exposureOn) {
            exposure.written(off, len, obs, opIndex);
        }
    }

    private void putBytes(long off, byte[] src, int len) {
        exposedWrite(off, len);
        if (obs.violationOp < 0 && layout.overlapsLiveUsedRing(off, len)) {
            obs.violationOp = opIndex; // the driver (this program) scribbled over device-owned ring memory
        }
        if (ShadowArena.inArena(off, len)) {
            arena.write(off, src, 0, len);
        } else if (arena.inRam(off, len)) {
            arena.writeRam(off, src, len);
        }
    }

    private void putLe(long off, long v, int width) {
        for (int i = 0; i < width; i++) {
            small[i] = (byte) (v >>> (8 * i));
        }
        putBytes(off, small, width);
    }

    /** Encodes a descriptor with the shared split-ring codec into the shadow. */
    private void putDesc(long off, long addrOffset, long len, int flags, int next) {
        Descriptor.encode(small, 0, arena.ramBase + addrOffset, len, flags, next);
        putBytes(off, small, Descriptor.SIZE);
    }

    private void zero(long off, long len) {
        if (len <= 0) {
            return;
        }
        if (ShadowArena.inArena(off, len)) {
            exposedWrite(off, len);
            arena.fill(off, len, (byte) 0);
        } else if (arena.inRam(off, len) && len <= arena.bounce.length) {
            Arrays.fill(arena.bounce, 0, (int) len, (byte) 0);
            putBytes(off, arena.bounce, (int) len);
        }
    }

    private int readLe16(long off) {
        return (int) arena.readDevice(off, 2);
    }

    /** Whether a RAM offset range lies in a region the device was allowed to write (outside the arena). */
    public boolean allowedOffArena(long off, long len) {
        return arena.allowedOffArena(off, len);
    }
}
