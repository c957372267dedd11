package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.tck.hostile.BugClass.*;
import static org.virtiotck.tck.hostile.HostileCase.Transport.BOTH;
import static org.virtiotck.tck.hostile.HostileCase.Transport.LEGACY;
import static org.virtiotck.tck.hostile.HostileCase.Transport.MODERN;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.SplitQueue.UsedElem;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.hostile.AcceptableResponses;
import org.virtiotck.tck.hostile.Arena;
import org.virtiotck.tck.hostile.BugClass;
import org.virtiotck.tck.hostile.ChainBuilder;
import org.virtiotck.tck.hostile.DeclaredRing;
import org.virtiotck.tck.hostile.Harm;
import org.virtiotck.tck.hostile.HostileCase;
import org.virtiotck.tck.hostile.Reaction;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * Hostile use of queues, indices, resets and status (issue #4, classes 9-16 and 19): impossible queue sizes,
 * avail idx jumps, index wraparound with requests in flight, queue registers rewritten while live, descriptors
 * rewritten after notify, resets with requests in flight, configuration changes, DEVICE_NEEDS_RESET recovery and
 * requests the device must not serve yet. {@link #CASES} is the acceptable-response model as data.
 */
@Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
@VirtioSuite("hostile")
@BreaksDriverRules("hostile-driver cases break driver rules on purpose")
class HostileRingSuite {

    // ---------------------------------------------------------------- what the cases accept

    /**
     * An impossible QueueNum: the device may refuse the queue, signal an error, or ignore the write and serve with a
     * size of its own (QEMU ignores such writes); only harm is wrong.
     */
    static final AcceptableResponses REFUSE_OR_SERVE = AcceptableResponses.of(REFUSED_QUEUE,
            NEEDS_RESET_WITH_CONFIG_IRQ, COMPLETED_IOERR, COMPLETED_OK);
    static final AcceptableResponses NEEDS_RESET_ONLY = AcceptableResponses.of(NEEDS_RESET_WITH_CONFIG_IRQ);
    static final AcceptableResponses SERVE = AcceptableResponses.of(COMPLETED_OK);
    static final AcceptableResponses SERVE_OR_REFUSE = AcceptableResponses.of(COMPLETED_OK, COMPLETED_IOERR,
            NEEDS_RESET_WITH_CONFIG_IRQ);
    static final AcceptableResponses SERVE_OR_DROP = AcceptableResponses.of(COMPLETED_OK, DROPPED_BY_RESET);
    static final AcceptableResponses SIGNALLED = AcceptableResponses.of(CONFIG_CHANGE_SIGNALLED);
    static final AcceptableResponses GENERATION = AcceptableResponses.of(CONFIG_CHANGE_SIGNALLED,
            CONFIG_CHANGE_WITHOUT_IRQ);
    /**
     * A notification the driver must not send yet (before DRIVER_OK, init.drv.8; for a queue that is not ready or
     * does not exist): leave it alone and serve once allowed, or treat the driver's mistake as an error
     * (DEVICE_NEEDS_RESET; before DRIVER_OK without an interrupt). Serving it is what the cases' ids forbid.
     */
    static final AcceptableResponses WAIT_THEN_SERVE = AcceptableResponses.of(UNCONSUMED_OTHERS_WORK,
            NEEDS_RESET_WITH_CONFIG_IRQ);
    /** A READ of a sector a shrink just removed: IOERR, or a device error, as for any sector past the end. */
    static final AcceptableResponses IOERR_OR_RESET = AcceptableResponses.of(COMPLETED_IOERR,
            NEEDS_RESET_WITH_CONFIG_IRQ);
    /**
     * A ring address rewritten while the queue is live (QueueDriverHigh 0xffffffff): the device may also adopt it,
     * and then finds no available buffer there, so it serves nothing (no harm, no error to signal).
     */
    static final AcceptableResponses SERVE_REFUSE_OR_ADOPT = SERVE_OR_REFUSE.and(STOPPED_SILENTLY);

    static final String[] SIGNAL = {"status.dev.3", "status.dev.4"};
    static final String[] SIZE_IDS = {"split.dev.3", "status.dev.3", "status.dev.4"};
    static final String[] JUMP_IDS = {"split-desc.dev.1", "status.dev.3", "status.dev.4"};
    static final String[] ONCE_IDS = {"split-desc.dev.1", "split.dev.3"};

    static final List<HostileCase> CASES = List.of(
            // 9. impossible queue sizes
            hc("queue-size.0", QUEUE_SIZE, BOTH, "QueueNum 0 on an enabled queue", REFUSE_OR_SERVE, SIZE_IDS,
                    a -> queueSize(a, max -> 0)),
            hc("queue-size.100", QUEUE_SIZE, BOTH, "QueueNum 100, not a power of two", REFUSE_OR_SERVE, SIZE_IDS,
                    a -> queueSize(a, max -> Math.min(100, max - 1) | 1)),
            hc("queue-size.twice-max", QUEUE_SIZE, BOTH, "QueueNum twice QueueNumMax", REFUSE_OR_SERVE, SIZE_IDS,
                    a -> queueSize(a, max -> Math.min(2 * max, 32768))),
            hc("queue-size.65535", QUEUE_SIZE, BOTH, "QueueNum 65535 (above 32768, not a power of two)",
                    REFUSE_OR_SERVE, SIZE_IDS, a -> queueSize(a, max -> 65535)),

            // 10. avail idx jumps
            hc("avail-jump.size+1", AVAIL_JUMP, BOTH, "avail idx moves by queue size + 1", NEEDS_RESET_ONLY,
                    JUMP_IDS, a -> availJump(a, 17)),
            hc("avail-jump.0x8000", AVAIL_JUMP, BOTH, "avail idx moves by 0x8000", NEEDS_RESET_ONLY, JUMP_IDS,
                    a -> availJump(a, 0x8000)),
            hc("avail-jump.backwards", AVAIL_JUMP, BOTH, "avail idx moves back by one", NEEDS_RESET_ONLY, JUMP_IDS,
                    a -> availJump(a, -1)),
            hc("avail-jump.exactly-size", AVAIL_JUMP, BOTH, "avail idx moves by exactly the queue size (legal)",
                    SERVE, JUMP_IDS, a -> availJump(a, 16)),

            // 11. u16 wraparound with requests in flight
            hc("wrap.batch-straddles-65535", INDEX_WRAP, BOTH, "8 requests published across avail idx 65535 -> 0",
                    SERVE, ONCE_IDS, a -> wrap(a, false)),
            hc("wrap.jump-across-65535", INDEX_WRAP, BOTH, "avail idx jumps by size + 1 across 65535 -> 0",
                    NEEDS_RESET_ONLY, JUMP_IDS, a -> wrap(a, true)),

            // 12. queue registers written while the queue is live
            hc("live-register.queue-num.modern", LIVE_QUEUE_REGISTERS, MODERN, "QueueNum halved while QueueReady=1",
                    SERVE_OR_REFUSE, SIZE_IDS, a -> liveRegister(a, QUEUE_NUM)),
            hc("live-register.desc-low.modern", LIVE_QUEUE_REGISTERS, MODERN, "QueueDescLow moved to a copy",
                    SERVE_OR_REFUSE, SIZE_IDS, a -> liveRegister(a, QUEUE_DESC_LOW)),
            hc("live-register.device-low.modern", LIVE_QUEUE_REGISTERS, MODERN, "QueueDeviceLow moved to a 2nd used "
                    + "ring", SERVE_OR_REFUSE, SIZE_IDS, a -> liveRegister(a, QUEUE_DEVICE_LOW)),
            hc("live-register.driver-high.modern", LIVE_QUEUE_REGISTERS, MODERN, "QueueDriverHigh set to 0xffffffff",
                    SERVE_REFUSE_OR_ADOPT, SIZE_IDS, a -> liveRegister(a, QUEUE_DRIVER_HIGH)),
            hc("live-register.queue-num.legacy", LIVE_QUEUE_REGISTERS, LEGACY, "QueueNum halved while QueuePFN set",
                    SERVE_OR_REFUSE, SIZE_IDS, a -> liveRegister(a, QUEUE_NUM)),
            hc("live-register.queue-align.legacy", LIVE_QUEUE_REGISTERS, LEGACY, "QueueAlign 16 KiB while QueuePFN "
                    + "set", SERVE_OR_REFUSE, SIZE_IDS, a -> liveRegister(a, QUEUE_ALIGN)),

            // 13. descriptors changed after notify
            hc("double-fetch.data-redirected", DOUBLE_FETCH, BOTH, "READ data descriptor redirected after use, "
                    + "notified again", SERVE, ONCE_IDS, a -> doubleFetch(a, 0)),
            hc("double-fetch.sector-rewritten", DOUBLE_FETCH, BOTH, "WRITE header sector changed after use, "
                    + "notified again", SERVE, ONCE_IDS, a -> doubleFetch(a, 1)),
            hc("double-fetch.ring-entry-swapped", DOUBLE_FETCH, BOTH, "used ring slot's avail entry replaced by "
                    + "another chain, notified again", SERVE, ONCE_IDS, a -> doubleFetch(a, 2)),
            hc("double-fetch.indirect-entry-rewritten", DOUBLE_FETCH, BOTH, "indirect data entry redirected after "
                    + "use, notified again", SERVE, ONCE_IDS, a -> doubleFetch(a, 3)),
            hc("double-fetch.redirected-racing-notify", DOUBLE_FETCH, BOTH, "data descriptor redirected right after "
                    + "notify, notified again", SERVE, ONCE_IDS, a -> doubleFetch(a, 4)),

            // 14. resets with requests in flight, then reuse of the memory
            hc("reset.available-not-notified", RESET_IN_FLIGHT, BOTH, "device reset with 2 requests available",
                    SERVE_OR_DROP, new String[] {"reset.dev.2", "mmio.dev.5"}, a -> resetInFlight(a, false, false)),
            hc("reset.right-after-notify", RESET_IN_FLIGHT, BOTH, "device reset right after notifying 2 requests",
                    SERVE_OR_DROP, new String[] {"reset.dev.2", "mmio.dev.5"}, a -> resetInFlight(a, true, false)),
            hc("queue-reset.available-not-notified", RESET_IN_FLIGHT, MODERN, "QueueReset with 2 requests "
                    + "available", SERVE_OR_DROP, new String[] {"vq.dev.1", "vq.dev.2", "mmio.dev.13"},
                    a -> resetInFlight(a, false, true)),
            hc("queue-reset.right-after-notify", RESET_IN_FLIGHT, MODERN, "QueueReset right after notifying",
                    SERVE_OR_DROP, new String[] {"vq.dev.1", "vq.dev.2", "mmio.dev.13"},
                    a -> resetInFlight(a, true, true)),
            hc("queue-pfn-0.available.legacy", RESET_IN_FLIGHT, LEGACY, "QueuePFN 0 with 2 requests available, "
                    + "then the same pages again", SERVE_OR_DROP, new String[] {"mmio-legacy.dev.4", "reset.dev.2"},
                    a -> resetInFlight(a, false, true)),

            // 15. configuration changes
            hc("config.grow-while-running.modern", CONFIG_CHANGE, MODERN, "capacity grows after DRIVER_OK",
                    SIGNALLED, new String[] {"mmio.dev.7", "notif-desc.dev.1", "blk.dev.20"}, a -> resize(a, 0)),
            hc("config.torn-capacity-read.modern", CONFIG_CHANGE, MODERN, "capacity changes between the two halves "
                    + "of a read", SIGNALLED, new String[] {"mmio.dev.7", "notif-desc.dev.1"}, a -> resize(a, 1)),
            hc("config.change-before-driver-ok.modern", CONFIG_CHANGE, MODERN, "capacity changes between "
                    + "FEATURES_OK and DRIVER_OK", GENERATION, new String[] {"mmio.dev.7"}, a -> resize(a, 2)),
            hc("config.grow-while-running.legacy", CONFIG_CHANGE, LEGACY, "capacity grows after DRIVER_OK",
                    SIGNALLED, new String[] {"notif-desc.dev.1", "blk.dev.20"}, a -> resize(a, 0)),
            hc("config.shrink-under-read", CONFIG_CHANGE, BOTH, "READ of a sector the shrink just removed",
                    IOERR_OR_RESET, new String[] {"blk-desc.dev.10", "mmio.dev.7"}, a -> resize(a, 3)),

            // 16. DEVICE_NEEDS_RESET and recovery
            hc("needs-reset.signal-then-recover", NEEDS_RESET, BOTH, "bad head, more notifications, then reset",
                    NEEDS_RESET_ONLY, new String[] {"status.dev.3", "status.dev.4", "reset.dev.1"},
                    a -> needsReset(a, false)),
            hc("needs-reset.good-requests-around-bad", NEEDS_RESET, BOTH, "2 good, 1 bad, 1 good request in one "
                    + "batch", NEEDS_RESET_ONLY, new String[] {"status.dev.3", "status.dev.4", "split-desc.dev.1"},
                    a -> needsReset(a, true)),

            // 19. requests before DRIVER_OK or on a queue that is not ready
            hc("early.before-driver-ok.modern", NOT_READY, MODERN, "request notified after FEATURES_OK, before "
                    + "DRIVER_OK", WAIT_THEN_SERVE, new String[] {"status.dev.1", "status.dev.2"},
                    a -> early(a, 0)),
            hc("early.before-features-ok.modern", NOT_READY, MODERN, "queue set up and notified before "
                    + "FEATURES_OK", WAIT_THEN_SERVE, new String[] {"status.dev.1", "status.dev.2"},
                    a -> early(a, 1)),
            hc("early.queue-not-ready.modern", NOT_READY, MODERN, "request on a configured queue with QueueReady 0",
                    WAIT_THEN_SERVE, new String[] {"mmio.dev.8"}, a -> early(a, 2)),
            hc("early.before-driver-ok.legacy", NOT_READY, LEGACY, "request notified before DRIVER_OK (legacy "
                    + "must serve it)", SERVE, new String[] {"init-legacy.dev.2"}, a -> early(a, 0)),
            hc("early.queue-pfn-0.legacy", NOT_READY, LEGACY, "request on a queue whose QueuePFN is 0",
                    WAIT_THEN_SERVE, new String[] {"mmio-legacy.dev.4"}, a -> early(a, 2)),
            hc("early.notify-missing-queue", NOT_READY, BOTH, "notifications for queues 7 and 0xffff",
                    WAIT_THEN_SERVE.and(COMPLETED_OK), new String[] {"split.dev.22"},
                    a -> early(a, 3)));

    static Stream<HostileCase> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Verifies({"split.dev.3", "split-desc.dev.1", "status.dev.1", "status.dev.2", "status.dev.3", "status.dev.4",
            "reset.dev.1", "reset.dev.2", "mmio.dev.5", "mmio.dev.7", "mmio.dev.8", "mmio.dev.13", "vq.dev.1",
            "vq.dev.2", "notif-desc.dev.1", "blk.dev.20", "blk-desc.dev.10", "init-legacy.dev.2",
            "mmio-legacy.dev.4", "split.dev.22"})
    void hostileRing(HostileCase c, Tck tck) {
        Arena.run(c, tck);
    }

    private static HostileCase hc(String id, BugClass cls, HostileCase.Transport t, String what,
                                  AcceptableResponses accept, String[] ids, HostileCase.Scenario scenario) {
        return new HostileCase(id, cls, what, t, accept, List.of(ids), scenario);
    }

    // ---------------------------------------------------------------- helpers

    /** ACKNOWLEDGE, DRIVER, features (and FEATURES_OK on modern): the careful steps up to queue setup. */
    static BlkDriver negotiate(Arena a, long wanted) {
        BlkDriver d = a.bare();
        d.reset();
        d.addStatus(ACKNOWLEDGE);
        d.addStatus(DRIVER);
        d.readDeviceFeatures();
        d.writeDriverFeatures(d.choose(wanted));
        if (!d.legacy() && !d.featuresOk()) {
            throw new AssertionError("FEATURES_OK refused for " + FeatureBit.describe(d.negotiated()));
        }
        return d;
    }

    /** Writes queue 0's ring addresses (modern) or page number (legacy) for rings at desc/avail/used. */
    static void placeQueue(BlkDriver d, int size, long desc, long avail, long used, boolean ready) {
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_NUM, size);
        if (d.legacy()) {
            d.writeGuestPageSize();
            d.mmio().write(QUEUE_ALIGN, BlkDriver.LEGACY_ALIGN);
            if (ready) {
                d.mmio().write(QUEUE_PFN, (int) (desc / BlkDriver.LEGACY_PAGE_SIZE));
            }
            return;
        }
        d.mmio().write(QUEUE_DESC_LOW, (int) desc);
        d.mmio().write(QUEUE_DESC_HIGH, (int) (desc >>> 32));
        d.mmio().write(QUEUE_DRIVER_LOW, (int) avail);
        d.mmio().write(QUEUE_DRIVER_HIGH, (int) (avail >>> 32));
        d.mmio().write(QUEUE_DEVICE_LOW, (int) used);
        d.mmio().write(QUEUE_DEVICE_HIGH, (int) (used >>> 32));
        if (ready) {
            d.mmio().write(QUEUE_READY, 1);
        }
    }

    static void enable(BlkDriver d, long desc) {
        d.mmio().write(QUEUE_SEL, 0);
        if (d.legacy()) {
            d.mmio().write(QUEUE_PFN, (int) (desc / BlkDriver.LEGACY_PAGE_SIZE));
        } else {
            d.mmio().write(QUEUE_READY, 1);
        }
    }

    static void putDesc(GuestRam ram, long table, int id, long addr, int len, int flags, int next) {
        byte[] e = new byte[16];
        HostileChainSuite.putDesc(e, 0, addr, len, flags, next);
        ram.write(table + 16L * id, e);
    }

    // ---------------------------------------------------------------- 9. queue sizes

    static Reaction queueSize(Arena a, java.util.function.IntUnaryOperator sizeFromMax) {
        BlkDriver d = negotiate(a, Arena.DEFAULT_WANTED);
        d.mmio().write(QUEUE_SEL, 0);
        int max = d.mmio().read(QUEUE_NUM_MAX);
        int n = sizeFromMax.applyAsInt(max);
        // Room for the ring as declared (every slot is used below when the device accepts it) and for whatever size
        // the device may use instead (it may ignore the write and keep a size of its own).
        int room = Math.min(Math.max(Math.max(n, 4), max), 0xffff);
        GuestRam ram = d.ram();
        a.arm();
        long desc;
        long avail;
        long used;
        long area;
        long areaBytes;
        if (d.legacy()) {
            areaBytes = SplitRing.legacyQueueBytes(room, BlkDriver.LEGACY_ALIGN) + 2L * BlkDriver.LEGACY_PAGE_SIZE;
            area = ram.alloc(areaBytes, BlkDriver.LEGACY_PAGE_SIZE);
            desc = area;
            avail = area + 16L * Math.max(n, 4);
            used = area + SplitRing.legacyUsedOffset(room, BlkDriver.LEGACY_ALIGN);
        } else {
            desc = ram.alloc(16L * room, 16);
            avail = ram.alloc(SplitRing.availRingBytes(room), 2);
            used = ram.alloc(SplitRing.usedRingBytes(room), 4);
            area = used;
            areaBytes = SplitRing.usedRingBytes(room);
        }
        a.allowWrite(area, areaBytes);
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        putDesc(ram, desc, 0, hdr, 16, SplitRing.DESC_F_NEXT, 1);
        putDesc(ram, desc, 1, data, 512, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE, 2);
        putDesc(ram, desc, 2, st, 1, SplitRing.DESC_F_WRITE, 0);
        ram.putLe16(avail + 4, 0);
        ram.putLe16(avail + 2, 1);
        placeQueue(d, n, desc, avail, used, true);
        if (a.needsReset()) {
            // Validating QueueNum when the queue is enabled: DRIVER_OK is clear, so no interrupt is owed (status.dev.4).
            a.note("DEVICE_NEEDS_RESET as soon as the queue was enabled");
            a.checkMemory("after the queue was enabled");
            return a.needsResetReaction();
        }
        d.driverOk();
        if (!d.legacy() && d.mmio().read(QUEUE_READY) == 0) {
            a.note("QueueReady reads 0");
        }
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        Deadline dl = Deadline.in(Arena.refusalWindow());
        for (int attempt = 0; ram.le16(used + 2) == 0 && !a.needsReset() && !dl.expired(); attempt++) {
            dl.pause(attempt);
        }
        a.checkMemory("after the notification");
        if (ram.le16(used + 2) != 0) {
            Reaction first = a.statusReaction(st);
            Reaction rest = new DeclaredRing(a, n, desc, avail, used, hdr, data, st).useEverySlot();
            return rest == COMPLETED_OK ? first : rest;
        }
        if (a.needsReset()) {
            return a.needsResetReaction();
        }
        return REFUSED_QUEUE;
    }

    // ---------------------------------------------------------------- 10. avail idx jumps

    static Reaction availJump(Arena a, int jump) {
        boolean legal = jump == 16;
        if (legal) {
            a.need(FeatureBit.INDIRECT_DESC);
        }
        BlkDriver d = a.init(Arena.DEFAULT_WANTED, 16);
        SplitQueue q = a.q();
        if (jump < 0) {
            for (int i = 0; i < 2; i++) {
                Completion c = d.read(8, 512);
                if (!c.ok()) {
                    throw new AssertionError("well-formed READ before the hostile step: " + c);
                }
            }
        }
        a.arm();
        int chains = legal ? 16 : 3;
        int[] heads = new int[chains];
        long[] status = new long[chains];
        for (int i = 0; i < chains; i++) {
            long hdr = a.header(Blk.T_IN, 8 + i);
            long data = a.in(512);
            status[i] = a.status();
            ChainBuilder c = a.chain().r(hdr, 16).w(data, 512).w(status[i], 1);
            heads[i] = legal ? c.indirect() : c.direct();
        }
        int start = q.availIdx();
        for (int i = 0; i < 16; i++) {
            q.putRingEntry(start + i, heads[i % chains]);
        }
        int target = jump < 0 ? start - 1 : start + jump;
        q.setAvailIdx(target);
        a.baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        a.awaitActivity(q, legal ? Timeouts.completion() : Arena.refusalWindow());
        if (legal) {
            Deadline dl = Deadline.in(Timeouts.completion());
            for (int attempt = 0; q.pendingUsed() < 16 && !a.needsReset() && !dl.expired(); attempt++) {
                dl.pause(attempt);
            }
        }
        Reaction nr = a.needsReset() ? a.needsResetReaction() : null;
        int pending = q.pendingUsed();
        List<UsedElem> used = q.takeAllUsed();
        int[] count = new int[q.size() + 1];
        for (UsedElem e : used) {
            int k = indexOf(heads, e.id());
            if (k < 0) {
                a.harm(Harm.BOGUS_USED_ELEMENT, "used id " + e.id());
            } else if (++count[k] > 1) {
                a.harm(Harm.DOUBLE_PROCESSING, "chain " + e.id() + " used " + count[k] + " times (" + pending
                        + " used elements for " + chains + " chains)");
            }
        }
        if (nr != null) {
            return nr;
        }
        if (!used.isEmpty()) {
            Reaction worst = COMPLETED_OK;
            for (int i = 0; i < chains; i++) {
                if (count[i] > 0 && a.statusReaction(status[i]) != COMPLETED_OK) {
                    worst = a.statusReaction(status[i]);
                }
            }
            if (legal && used.size() != 16) {
                a.note(used.size() + " of 16 chains used");
                return STOPPED_SILENTLY;
            }
            return worst;
        }
        return STOPPED_SILENTLY;
    }

    static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- 11. index wraparound

    /**
     * Brings the free-running indices of queue 0 to 65532 fast: 32 READ chains sharing one header, data buffer
     * and status byte, published and notified in batches.
     */
    static void fastForward(Arena a, int target) {
        BlkDriver d = a.driver();
        SplitQueue q = a.q();
        GuestRam ram = d.ram();
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        int n = Math.min(32, (q.freeDescriptors() - 16) / 3);
        int[] heads = new int[n];
        for (int i = 0; i < n; i++) {
            heads[i] = a.chain().r(hdr, 16).w(data, 512).w(st, 1).direct();
        }
        int avail = 0;
        while (avail < target) {
            int batch = Math.min(n, target - avail);
            byte[] entries = new byte[2 * batch];
            for (int i = 0; i < batch; i++) {
                int slot = (avail + i) % q.size();
                ram.putLe16(q.availAddr() + 4 + 2L * slot, heads[i]);
            }
            avail += batch;
            ram.putLe16(q.availAddr() + 2, avail & 0xffff);
            d.mmio().write(QUEUE_NOTIFY, 0);
            Deadline dl = Deadline.in(Timeouts.completion());
            for (int attempt = 0; q.deviceUsedIdx() != (avail & 0xffff); attempt++) {
                if (dl.expired() || a.needsReset()) {
                    throw new BlkDriver.CompletionTimeout("fast-forward to used idx " + target + " stuck at "
                            + q.deviceUsedIdx() + (a.needsReset() ? " (DEVICE_NEEDS_RESET)" : ""));
                }
                dl.pause(attempt);
            }
            if ((avail & 0x3ff) < n) {
                d.serviceInterrupt();
            }
        }
        d.serviceInterrupt();
        q.assumeIndices(avail, avail);
    }

    static Reaction wrap(Arena a, boolean jump) {
        BlkDriver d = a.init(Arena.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        fastForward(a, 0x10000 - 4);
        // Without HostControl the disk guard's baseline is a request or two through queue 0: the batch then starts
        // at 65533 or 65534 (still straddling the wrap), so the expected used idx is relative to where arm() left it.
        a.arm();
        int from = q.availIdx();
        if (jump) {
            long hdr = a.header(Blk.T_IN, 8);
            long data = a.in(512);
            long st = a.status();
            int head = a.chain().r(hdr, 16).w(data, 512).w(st, 1).direct();
            for (int i = 0; i < q.size(); i++) {
                q.putRingEntry(q.availIdx() + i, head);
            }
            q.setAvailIdx(q.availIdx() + q.size() + 1);
            return a.notifyAndObserve(head, st);
        }
        List<BlkDriver.Pending> ps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            ps.add(p);
        }
        q.publish(ps.stream().mapToInt(BlkDriver.Pending::head).toArray());
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        Reaction r = COMPLETED_OK;
        for (BlkDriver.Pending p : ps) {
            Completion c = a.awaitOrNull(p, Timeouts.completion());
            if (c == null) {
                return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
            }
            if (!c.ok()) {
                r = a.statusReaction(p.statusGpa());
            }
        }
        if (q.deviceUsedIdx() != ((from + 8) & 0xffff)) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx " + q.deviceUsedIdx() + " after 8 requests from " + from);
        }
        return r;
    }

    // ---------------------------------------------------------------- 12. live queue registers

    static Reaction liveRegister(Arena a, int register) {
        BlkDriver d = a.init(Arena.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        a.arm();
        BlkDriver.Pending p = d.build(0, BlkRequest.read(8, 512));
        a.allowWrite(p.inGpa(), p.writableBytes());
        long alt = -1;
        int value;
        switch (register) {
            case QUEUE_NUM -> value = q.size() / 2;
            case QUEUE_ALIGN -> value = 16384;
            default -> value = 0;
        }
        if (d.legacy()) {
            // A legacy device may re-lay the rings out at once (QEMU does): the used ring the driver now describes
            // is the device's to write.
            int n = register == QUEUE_NUM ? value : q.size();
            long align = register == QUEUE_ALIGN ? value : BlkDriver.LEGACY_ALIGN;
            a.allowWrite(q.descAddr() + SplitRing.legacyUsedOffset(n, align), SplitRing.usedRingBytes(n));
        }
        switch (register) {
            case QUEUE_NUM, QUEUE_ALIGN -> {
            }
            case QUEUE_DESC_LOW -> {
                alt = d.ram().alloc(SplitRing.descTableBytes(q.size()), 16);
                d.ram().write(alt, d.ram().read(q.descAddr(), (int) SplitRing.descTableBytes(q.size())));
                value = (int) alt;
            }
            case QUEUE_DEVICE_LOW -> {
                alt = d.ram().alloc(SplitRing.usedRingBytes(q.size()), 4);
                a.allowWrite(alt, SplitRing.usedRingBytes(q.size()));
                value = (int) alt;
            }
            default -> value = -1;
        }
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(register, value);
        q.publish(p.head());
        a.baseline();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        d.mmio().write(QUEUE_NOTIFY, 0);
        if (register == QUEUE_DEVICE_LOW) {
            Deadline dl = Deadline.in(Arena.refusalWindow());
            for (int attempt = 0; !dl.expired(); attempt++) {
                if (d.ram().le16(alt + 2) != 0) {
                    a.note("the device adopted the new used ring");
                    a.checkMemory("after the device used the moved ring");
                    return a.statusReaction(p.statusGpa());
                }
                if (q.pendingUsed() > 0 || a.needsReset()) {
                    break;
                }
                dl.pause(attempt);
            }
        }
        Reaction r = a.observe(p.head(), p.statusGpa());
        if (register == QUEUE_NUM && r == COMPLETED_OK && q.availIdx() == q.deviceUsedIdx()) {
            // It kept serving: use every slot of the ring as first declared, through whatever size it now believes.
            long hdr = a.header(Blk.T_IN, 8);
            long data = a.in(512);
            long st = a.status();
            Reaction rest = new DeclaredRing(a, q.size(), q.descAddr(), q.availAddr(), q.usedAddr(), hdr, data, st)
                    .from(q.deviceUsedIdx()).useEverySlot();
            return rest == COMPLETED_OK ? r : rest;
        }
        return r;
    }

    // ---------------------------------------------------------------- 13. double fetch

    static Reaction doubleFetch(Arena a, int variant) {
        if (variant == 3) {
            a.need(FeatureBit.INDIRECT_DESC);
        }
        BlkDriver d = a.init();
        SplitQueue q = a.q();
        a.arm();
        GuestRam ram = d.ram();
        boolean write = variant == 1 || variant == 2;
        long hdr = a.header(write ? Blk.T_OUT : Blk.T_IN, 8);
        long data = write ? a.out(512, 3) : a.in(512);
        long st = a.status();
        long other = ram.alloc(512, 16); // canaried: the device may never write it
        if (write) {
            a.allowDisk(8, 1);
        }
        ChainBuilder c = a.chain().r(hdr, 16);
        c = write ? c.r(data, 512) : c.w(data, 512);
        c.w(st, 1);
        int head = variant == 3 ? c.indirect() : c.direct();
        int[] ids = c.ids();
        int secondHead = -1;
        if (variant == 2) {
            long hdr2 = a.header(Blk.T_OUT, 17);
            long data2 = a.out(512, 4);
            long st2 = a.status();
            secondHead = a.chain().r(hdr2, 16).r(data2, 512).w(st2, 1).direct();
        }
        q.publish(head);
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        if (variant == 4) {
            a.allowWrite(other, 512); // racing the device: it may still fetch the new address
            q.writeDescriptor(ids[1], other, 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT, ids[2]);
        }
        Deadline dl = Deadline.in(Timeouts.completion());
        for (int attempt = 0; q.pendingUsed() == 0 && !a.needsReset() && !dl.expired(); attempt++) {
            d.serviceInterrupt();
            dl.pause(attempt);
        }
        if (q.pendingUsed() == 0) {
            return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
        }
        Reaction r = a.statusReaction(st);
        int usedIdx = q.deviceUsedIdx();
        switch (variant) {
            case 0, 4 -> q.writeDescriptor(ids[1], other, 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT,
                    ids[2]);
            case 1 -> ram.putLe64(hdr + 8, 16);
            case 2 -> q.putRingEntry(q.availIdx() - 1, secondHead);
            default -> ram.putLe64(c.table() + 16, other);
        }
        ram.putU8(st, 0xa5);
        a.baseline();
        for (int i = 0; i < 3; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Deadline quiet = Deadline.in(Timeouts.quietPeriod());
        for (int attempt = 0; !quiet.expired(); attempt++) {
            quiet.pause(attempt);
        }
        a.checkMemory("after the second notification");
        if (q.deviceUsedIdx() != usedIdx) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx moved from " + usedIdx + " to " + q.deviceUsedIdx()
                    + " without new available buffers");
        }
        q.takeAllUsed();
        return r;
    }

    // ---------------------------------------------------------------- 14. resets with requests in flight

    static Reaction resetInFlight(Arena a, boolean notify, boolean queueReset) {
        boolean legacy = a.legacy();
        if (queueReset && !legacy) {
            a.need(FeatureBit.RING_RESET);
        }
        BlkDriver d = a.init(Arena.DEFAULT_WANTED, 0);
        SplitQueue q = a.q();
        if (queueReset && !legacy && !d.negotiated(FeatureBit.RING_RESET)) {
            Assumptions.abort("VIRTIO_F_RING_RESET not negotiated");
        }
        a.arm();
        List<BlkDriver.Pending> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            ps.add(p);
        }
        int usedBefore = q.deviceUsedIdx(); // not 0 when the disk guard's baseline went through queue 0
        q.publish(ps.get(0).head(), ps.get(1).head());
        a.baseline();
        if (notify) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        long edges = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        Deadline dl = Deadline.in(Timeouts.reset());
        if (queueReset && legacy) {
            d.mmio().write(QUEUE_SEL, 0);
            d.mmio().write(QUEUE_PFN, 0);
        } else if (queueReset) {
            d.mmio().write(QUEUE_SEL, 0);
            d.mmio().write(QUEUE_RESET, 1);
            for (int attempt = 0; d.mmio().read(QUEUE_RESET) != 0; attempt++) {
                if (dl.expired()) {
                    throw new BlkDriver.CompletionTimeout("QueueReset did not read 0 within "
                            + dl.budget().toMillis() + " ms");
                }
                dl.pause(attempt);
            }
            if (d.mmio().read(QUEUE_READY) != 0) {
                a.note("QueueReady reads 1 after the queue reset completed");
                a.harm(Harm.RING_TOUCHED_AFTER_RESET, "the queue still reads ready after the queue reset");
            }
        } else {
            d.mmio().setStatus(0);
            for (int attempt = 0; d.mmio().status() != 0; attempt++) {
                if (dl.expired()) {
                    throw new BlkDriver.CompletionTimeout("Status did not read 0 within " + dl.budget().toMillis()
                            + " ms after reset");
                }
                dl.pause(attempt);
            }
        }
        // Everything the device did up to here is fair; from now on it must leave the rings alone.
        int usedAtReset = q.deviceUsedIdx();
        byte[] usedRing = d.ram().read(q.usedAddr(), (int) SplitRing.usedRingBytes(q.size()));
        a.baseline();
        long edgesAtReset = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        if (!queueReset) {
            int is = d.mmio().read(INTERRUPT_STATUS);
            if (is != 0) {
                a.harm(Harm.RING_TOUCHED_AFTER_RESET, "InterruptStatus 0x" + Integer.toHexString(is)
                        + " after the reset (mmio.dev.5)");
            }
        } else {
            d.mmio().write(QUEUE_NOTIFY, 0); // a queue that was reset must not act on this (vq.dev.1)
        }
        Deadline quiet = Deadline.in(Timeouts.quietPeriod());
        for (int attempt = 0; !quiet.expired(); attempt++) {
            quiet.pause(attempt);
        }
        a.checkMemory("after the reset");
        if (!java.util.Arrays.equals(usedRing, d.ram().read(q.usedAddr(), usedRing.length))) {
            a.harm(Harm.RING_TOUCHED_AFTER_RESET, "the used ring changed after the reset");
        }
        long edgesNow = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        if (!queueReset && edgesNow != edgesAtReset) {
            a.harm(Harm.RING_TOUCHED_AFTER_RESET, "interrupt raised after the reset");
        }
        Reaction r = usedAtReset == usedBefore ? DROPPED_BY_RESET : COMPLETED_OK;
        if (queueReset) {
            // Re-enable the same rings (zeroed, as a driver re-initializing them would) and use them again.
            q.abandonInFlight();
            d.ram().zero(q.descAddr(), SplitRing.descTableBytes(q.size()));
            d.ram().zero(q.availAddr(), SplitRing.availRingBytes(q.size()));
            d.ram().zero(q.usedAddr(), SplitRing.usedRingBytes(q.size()));
            q.assumeIndices(0, 0);
            placeQueue(d, q.size(), q.descAddr(), q.availAddr(), q.usedAddr(), true);
            a.baseline();
            BlkDriver.Pending p = d.build(0, BlkRequest.read(12, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            q.publish(p.head());
            a.baseline();
            d.mmio().write(QUEUE_NOTIFY, 0);
            Completion c = a.awaitOrNull(p, Timeouts.completion());
            if (c == null || !c.ok()) {
                a.harm(Harm.NOT_RECOVERED_BY_RESET, "request on the re-enabled queue: " + c);
            } else if (q.deviceUsedIdx() != 1) {
                a.harm(Harm.DOUBLE_PROCESSING, "used idx " + q.deviceUsedIdx()
                        + " after one request on the re-enabled queue (stale requests completed)");
            }
        }
        a.note("edges " + edges + "->" + edgesNow);
        return r;
    }

    // ---------------------------------------------------------------- 15. configuration changes

    static Reaction resize(Arena a, int variant) {
        HostControl host = a.tck().assumeResize();
        Assumptions.assumeTrue(a.tck().info().has(TargetInfo.Capability.RESIZE), "target cannot resize its disk");
        BlkDriver d;
        if (variant == 2) {
            d = negotiate(a, Arena.DEFAULT_WANTED);
        } else {
            d = a.init();
            a.arm();
        }
        a.skipLiveness();
        long cap = variant == 2 ? d.readConfig().capacity() : d.capacity();
        d.serviceInterrupt();
        d.clearSeenInterrupts();
        int g0 = d.legacy() ? 0 : d.mmio().configGeneration();
        long newCap = variant == 3 ? cap - 64 : cap + 64;
        long seen;
        int g1;
        if (variant == 1) {
            long low = d.mmio().config32(Blk.CFG_CAPACITY) & 0xffffffffL;
            host.resizeCapacity(newCap);
            long high = d.mmio().config32(Blk.CFG_CAPACITY + 4) & 0xffffffffL;
            g1 = d.mmio().configGeneration();
            seen = high << 32 | low;
        } else {
            host.resizeCapacity(newCap);
            g1 = d.legacy() ? 1 : d.mmio().configGeneration();
            seen = d.readConfig().capacity();
        }
        if (!d.legacy() && g1 == g0) {
            a.note("ConfigGeneration stayed " + g0 + " across the change (capacity " + cap + " -> " + newCap + ")");
            return CONFIG_CHANGE_STALE_GENERATION;
        }
        if (variant != 1 && seen != newCap) {
            a.note("capacity reads " + seen + " after the change to " + newCap);
            return CONFIG_CHANGE_STALE_GENERATION;
        }
        boolean irq = a.configIrq(Timeouts.quietPeriod());
        if (variant == 3) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(cap - 1, 512));
            a.allowWrite(p.inGpa(), p.writableBytes());
            p.queue().publish(p.head());
            return a.notifyAndObserve(p.head(), p.statusGpa());
        }
        return irq ? CONFIG_CHANGE_SIGNALLED : CONFIG_CHANGE_WITHOUT_IRQ;
    }

    // ---------------------------------------------------------------- 16. DEVICE_NEEDS_RESET

    static Reaction needsReset(Arena a, boolean batch) {
        BlkDriver d = a.init();
        SplitQueue q = a.q();
        a.arm();
        int bad = q.size();
        Reaction r;
        if (!batch) {
            q.putRingEntry(q.availIdx(), bad);
            q.setAvailIdx(q.availIdx() + 1);
            r = a.notifyAndObserve(bad, -1);
        } else {
            List<BlkDriver.Pending> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BlkDriver.Pending p = d.build(0, BlkRequest.read(8 + i, 512));
                a.allowWrite(p.inGpa(), p.writableBytes());
                ps.add(p);
            }
            int start = q.availIdx();
            q.putRingEntry(start, ps.get(0).head());
            q.putRingEntry(start + 1, ps.get(1).head());
            q.putRingEntry(start + 2, bad);
            q.putRingEntry(start + 3, ps.get(2).head());
            q.setAvailIdx(start + 4);
            a.baseline();
            d.serviceInterrupt();
            d.clearSeenInterrupts();
            d.mmio().write(QUEUE_NOTIFY, 0);
            a.awaitActivity(q, Arena.refusalWindow());
            Deadline dl = Deadline.in(Arena.refusalWindow());
            for (int attempt = 0; !a.needsReset() && !dl.expired(); attempt++) {
                dl.pause(attempt);
            }
            r = a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
            int[] count = new int[q.size() + 1];
            for (UsedElem e : q.takeAllUsed()) {
                if (e.id() < 0 || e.id() > q.size()) {
                    a.harm(Harm.BOGUS_USED_ELEMENT, "used id " + e.id());
                } else if (++count[e.id()] > 1) {
                    a.harm(Harm.DOUBLE_PROCESSING, "chain " + e.id() + " used twice");
                }
            }
            if (count[bad] > 0) {
                a.note("the bad head came back as a used element");
            }
        }
        // More notifications while DEVICE_NEEDS_RESET is set must do no harm.
        int usedIdx = q.deviceUsedIdx();
        for (int i = 0; i < 4; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        a.checkMemory("after notifications while DEVICE_NEEDS_RESET was set");
        if (q.deviceUsedIdx() != usedIdx && !batch) {
            a.harm(Harm.DOUBLE_PROCESSING, "used idx moved while DEVICE_NEEDS_RESET was set");
        }
        return r;
    }

    // ---------------------------------------------------------------- 19. too early / not ready

    static Reaction early(Arena a, int variant) {
        BlkDriver d;
        long edges0;
        if (variant == 3) {
            d = a.init();
            a.arm();
        } else {
            d = variant == 1 ? a.bare() : negotiate(a, Arena.DEFAULT_WANTED);
            if (variant == 1) {
                d.reset();
                d.addStatus(ACKNOWLEDGE);
                d.addStatus(DRIVER);
                d.readDeviceFeatures();
                d.writeDriverFeatures(d.choose(Arena.DEFAULT_WANTED));
            }
            a.arm();
        }
        GuestRam ram = d.ram();
        SplitQueue q;
        if (variant == 3) {
            q = a.q();
        } else {
            q = d.legacy() ? SplitQueue.allocateLegacy(ram, 0, 64, BlkDriver.LEGACY_PAGE_SIZE, BlkDriver.LEGACY_ALIGN)
                    : SplitQueue.allocateModern(ram, 0, 64);
            placeQueue(d, 64, q.descAddr(), q.availAddr(), q.usedAddr(), variant != 2);
        }
        long hdr = a.header(Blk.T_IN, 8);
        long data = a.in(512);
        long st = a.status();
        int head = q.addChain(List.of(SplitQueue.Buf.readable(hdr, 16), SplitQueue.Buf.writable(data, 512),
                SplitQueue.Buf.writable(st, 1)));
        int used0 = q.deviceUsedIdx(); // variant 3's queue 0 may have served the disk guard's baseline already
        q.publish(head);
        // Serving too early is judged by the reaction; the used ring is the driver's, so writing it is no corruption.
        a.allowWrite(q.usedAddr(), SplitRing.usedRingBytes(q.size()));
        if (variant == 2) {
            d.driverOk(); // DRIVER_OK with the queue configured but not enabled
        }
        edges0 = d.interruptLine() == null ? 0 : d.interruptLine().risingEdges();
        a.baseline();
        if (variant == 3) {
            d.mmio().write(QUEUE_NOTIFY, 7);
            d.mmio().write(QUEUE_NOTIFY, 0xffff);
        } else {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Deadline dl = Deadline.in(Arena.refusalWindow());
        for (int attempt = 0; q.deviceUsedIdx() == used0 && !dl.expired(); attempt++) {
            dl.pause(attempt);
        }
        a.checkMemory("before the queue was allowed to run");
        if (q.deviceUsedIdx() != used0) {
            q.takeAllUsed();
            a.note("served before it was allowed to");
            return a.statusReaction(st);
        }
        if (variant != 3 && d.interruptLine() != null && d.interruptLine().risingEdges() != edges0) {
            a.note("interrupt raised for a request that was not served");
        }
        if (a.needsReset()) {
            // The driver broke init.drv.8 / mmio.drv rules: treating that as an error is the device's choice.
            a.note("DEVICE_NEEDS_RESET for the notification it must not act on");
            return a.needsResetReaction();
        }
        switch (variant) {
            case 0 -> d.driverOk();
            case 1 -> {
                if (!d.featuresOk()) {
                    throw new AssertionError("FEATURES_OK refused");
                }
                d.driverOk();
            }
            case 2 -> enable(d, q.descAddr());
            default -> {
            }
        }
        a.baseline();
        d.mmio().write(QUEUE_NOTIFY, 0);
        Deadline dl2 = Deadline.in(Timeouts.completion());
        for (int attempt = 0; q.deviceUsedIdx() == used0 && !a.needsReset() && !dl2.expired(); attempt++) {
            d.serviceInterrupt();
            dl2.pause(attempt);
        }
        if (q.deviceUsedIdx() == used0) {
            return a.needsReset() ? a.needsResetReaction() : STOPPED_SILENTLY;
        }
        q.takeAllUsed();
        Reaction r = a.statusReaction(st);
        return r == COMPLETED_OK ? UNCONSUMED_OTHERS_WORK : r;
    }
}
