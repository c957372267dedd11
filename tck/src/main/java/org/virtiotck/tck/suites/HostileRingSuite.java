package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.tck.hostile.BugClass.*;
import static org.virtiotck.tck.hostile.HostileCase.Transport.BOTH;
import static org.virtiotck.tck.hostile.HostileCase.Transport.LEGACY;
import static org.virtiotck.tck.hostile.HostileCase.Transport.MODERN;
import static org.virtiotck.tck.hostile.LiveQueueScenarios.doubleFetch;
import static org.virtiotck.tck.hostile.LiveQueueScenarios.liveRegister;
import static org.virtiotck.tck.hostile.LiveQueueScenarios.narrowReads;
import static org.virtiotck.tck.hostile.LiveQueueScenarios.resetInFlight;
import static org.virtiotck.tck.hostile.QueueScenarios.availJump;
import static org.virtiotck.tck.hostile.QueueScenarios.plantedPastTable;
import static org.virtiotck.tck.hostile.QueueScenarios.queueSize;
import static org.virtiotck.tck.hostile.QueueScenarios.wrap;
import static org.virtiotck.tck.hostile.StatusScenarios.early;
import static org.virtiotck.tck.hostile.StatusScenarios.needsReset;
import static org.virtiotck.tck.hostile.StatusScenarios.resize;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.tck.hostile.AcceptableResponses;
import org.virtiotck.tck.hostile.HostileRun;
import org.virtiotck.tck.hostile.BugClass;
import org.virtiotck.tck.hostile.HostileCase;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Hostile use of queues, indices, resets and status ({@link BugClass} 9 to 16 and 19): impossible queue sizes, avail
 * idx jumps, index wraparound with requests in flight, queue registers rewritten while live, descriptors rewritten
 * after notify, resets with requests in flight, configuration changes, DEVICE_NEEDS_RESET recovery and requests the
 * device must not serve yet. {@link #CASES} is the acceptable-response model as data; the scenarios live next to
 * the hostile model (QueueScenarios, LiveQueueScenarios, StatusScenarios).
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
            // 2. head or next index out of range, with a well-formed descriptor planted in memory right after the table
            hc("index.head-equals-size.planted.modern", INDEX_OUT_OF_RANGE, MODERN, "available ring names head 8 of "
                    + "an 8-entry queue; slot 8 holds a well-formed header descriptor", NEEDS_RESET_ONLY, SIGNAL,
                    a -> plantedPastTable(a, false)),
            hc("index.next-equals-size.planted.modern", INDEX_OUT_OF_RANGE, MODERN, "data descriptor links to 8 in an "
                    + "8-entry queue; slot 8 holds a well-formed status descriptor",
                    NEEDS_RESET_ONLY.and(COMPLETED_IOERR, COMPLETED_UNSUPP, RETURNED_WITHOUT_STATUS), SIGNAL,
                    a -> plantedPastTable(a, true)),
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

            // 12. queue registers written, or control registers read at other widths, while the queue is live
            live("queue-num.modern", MODERN, "QueueNum halved while QueueReady=1", SERVE_OR_REFUSE, QUEUE_NUM),
            live("desc-low.modern", MODERN, "QueueDescLow moved to a copy", SERVE_OR_REFUSE, QUEUE_DESC_LOW),
            live("device-low.modern", MODERN, "QueueDeviceLow moved to a 2nd used ring", SERVE_OR_REFUSE,
                    QUEUE_DEVICE_LOW),
            live("driver-high.modern", MODERN, "QueueDriverHigh set to 0xffffffff", SERVE_REFUSE_OR_ADOPT,
                    QUEUE_DRIVER_HIGH),
            live("queue-num.legacy", LEGACY, "QueueNum halved while QueuePFN set", SERVE_OR_REFUSE, QUEUE_NUM),
            live("queue-align.legacy", LEGACY, "QueueAlign 16 KiB while QueuePFN set", SERVE_OR_REFUSE, QUEUE_ALIGN),
            hc("live-register.narrow-reads", LIVE_QUEUE_REGISTERS, BOTH, "control registers read with 8-, 16- and "
                    + "64-bit loads", SERVE_OR_REFUSE, new String[] {"status.dev.3",
                    "status.dev.4", "reset.dev.1"}, a -> narrowReads(a)),

            // 13. descriptors changed after notify
            refetch("data-redirected", "READ data descriptor redirected after use", 0),
            refetch("sector-rewritten", "WRITE header sector changed after use", 1),
            refetch("ring-entry-swapped", "used ring slot's avail entry replaced by another chain", 2),
            refetch("indirect-entry-rewritten", "indirect data entry redirected after use", 3),
            refetch("redirected-racing-notify", "data descriptor redirected right after notify", 4),

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
        HostileRun.run(c, tck);
    }

    private static HostileCase hc(String id, BugClass cls, HostileCase.Transport t, String what,
                                  AcceptableResponses accept, String[] ids, HostileCase.Scenario scenario) {
        return new HostileCase(id, cls, what, t, accept, List.of(ids), scenario);
    }

    /** Class 12: {@code register} rewritten while the queue is live. */
    private static HostileCase live(String id, HostileCase.Transport t, String what, AcceptableResponses accept,
                                    int register) {
        return hc("live-register." + id, LIVE_QUEUE_REGISTERS, t, what, accept, SIZE_IDS,
                a -> liveRegister(a, register));
    }

    /** Class 13: what the device already used is changed ({@code variant} of the scenario), then notified again. */
    private static HostileCase refetch(String id, String what, int variant) {
        return hc("double-fetch." + id, DOUBLE_FETCH, BOTH, what + ", notified again", SERVE, ONCE_IDS,
                a -> doubleFetch(a, variant));
    }
}
