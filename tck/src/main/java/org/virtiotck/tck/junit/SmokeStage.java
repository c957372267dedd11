package org.virtiotck.tck.junit;

import static org.virtiotck.spec.MmioRegister.DEVICE_ID;
import static org.virtiotck.spec.MmioRegister.INT_CONFIG_CHANGE;
import static org.virtiotck.spec.MmioRegister.INT_USED_BUFFER;
import static org.virtiotck.spec.MmioRegister.MAGIC;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX;
import static org.virtiotck.spec.MmioRegister.QUEUE_PFN;
import static org.virtiotck.spec.MmioRegister.QUEUE_READY;
import static org.virtiotck.spec.MmioRegister.QUEUE_SEL;
import static org.virtiotck.spec.MmioRegister.VERSION_LEGACY;
import static org.virtiotck.spec.MmioRegister.VERSION_MODERN;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;

/**
 * Measures every {@link Prerequisite} once, in order, with the careful driver and bounded waits, before the
 * suites run. Each failure names the requirement ids whose conditions held when it was seen:
 *
 * <ul>
 *   <li>identification: MagicValue (mmio.dev.1), Version 1 or 2 (mmio.dev.2), DeviceID 2 (blk-desc.dev.1);</li>
 *   <li>features: Status reads 0 after a reset (reset.dev.1), a modern device offers VERSION_1 (reserved.dev.1;
 *       a driver such as Linux refuses a modern device without it), FEATURES_OK kept for a valid subset
 *       (features.dev.2);</li>
 *   <li>queue: QueueReady reads 0 after reset (mmio.dev.6) or QueuePFN 0 on a legacy device (mmio-legacy.dev.5),
 *       queue 0 exists (blk-desc.dev.2), QueueReady reads back 1 (mmio-desc.dev.5);</li>
 *   <li>request: a well-formed READ after DRIVER_OK is answered with a status byte (blk-desc.dev.10). A device
 *       that stops without DEVICE_NEEDS_RESET also breaks status.dev.3 (a state only a reset clears, not
 *       signalled); one that sets DEVICE_NEEDS_RESET with DRIVER_OK set but sends no configuration change
 *       interrupt also breaks status.dev.4;</li>
 *   <li>interrupts: without EVENT_IDX and with avail flags 0, a used buffer is notified (split.dev.11);</li>
 *   <li>reset: Status reads 0 after writing 0 (reset.dev.1) and, after a re-initialization, a request completes
 *       again (the request ids above).</li>
 * </ul>
 *
 * <p>A target fault (the target stopped answering or died) ends the stage: the check it hit records the fault and
 * the later ones stay unmeasured, which blocks nothing (the session's fault handling takes over).
 */
public final class SmokeStage {

    /** How a prerequisite fared. */
    public enum State {
        HOLDS,
        FAILS,
        /** An earlier prerequisite failed (or the target faulted), so this one was not measured. */
        NOT_MEASURED,
        /** The target stopped answering or died during this check. */
        FAULT,
        /** The check itself broke (a harness error); nothing is concluded about the device. */
        UNKNOWN
    }

    /**
     * One measured prerequisite.
     *
     * @param prerequisite what was measured
     * @param state        how it fared
     * @param ids          requirement ids the check verified (HOLDS) or found broken (FAILS)
     * @param expected     what the check wanted
     * @param observed     what the device did (for NOT_MEASURED: which earlier prerequisite failed)
     * @param wedged       the device stopped serving without signalling DEVICE_NEEDS_RESET
     * @param fault        the target fault of a FAULT check, else null
     */
    public record Check(Prerequisite prerequisite, State state, List<String> ids, String expected, String observed,
                        boolean wedged, TargetFault fault) {
        public Check {
            ids = List.copyOf(ids);
        }

        static Check holds(Prerequisite p, String observed, String... ids) {
            return new Check(p, State.HOLDS, List.of(ids), p.description(), observed, false, null);
        }

        static Check fails(Prerequisite p, String expected, String observed, String... ids) {
            return new Check(p, State.FAILS, List.of(ids), expected, observed, false, null);
        }

        /** The smoke test that reports this check, as the reports name it. */
        public String testName() {
            return "SmokeSuite#" + SmokeStage.methodName(prerequisite);
        }
    }

    private final Target target;
    private final Map<Prerequisite, Check> checks = new EnumMap<>(Prerequisite.class);
    private BlkDriver driver;
    private boolean legacy;

    private SmokeStage(Target target) {
        this.target = target;
    }

    /** Measures every prerequisite on {@code target}, leaving the device initialized (the caller resets it). */
    public static Map<Prerequisite, Check> measure(Target target) {
        SmokeStage s = new SmokeStage(target);
        s.run();
        return Map.copyOf(s.checks);
    }

    /** The SmokeSuite method that reports {@code p}. */
    static String methodName(Prerequisite p) {
        return switch (p) {
            case IDENTIFIES -> "deviceIdentifiesItself";
            case FEATURES_NEGOTIATE -> "featuresNegotiate";
            case QUEUE_SETUP -> "aQueueCanBeSetUp";
            case REQUEST_COMPLETES -> "oneRequestCompletes";
            case INTERRUPTS_ARRIVE -> "interruptsArrive";
            case RESET_WORKS -> "resetWorks";
        };
    }

    private void run() {
        for (Prerequisite p : Prerequisite.values()) {
            Prerequisite failed = firstBroken(p);
            if (failed != null) {
                checks.put(p, new Check(p, State.NOT_MEASURED, List.of(), p.description(), "not measured: "
                        + "prerequisite '" + failed.description() + "' failed", false, null));
                continue;
            }
            try {
                checks.put(p, measure(p));
            } catch (TargetFault f) {
                checks.put(p, new Check(p, State.FAULT, List.of(), p.description(), f.getMessage(), false, f));
                return;
            } catch (RuntimeException | AssertionError e) {
                checks.put(p, new Check(p, State.UNKNOWN, List.of(), p.description(), "the smoke check broke: " + e,
                        false, null));
                return;
            }
        }
    }

    private Prerequisite firstBroken(Prerequisite p) {
        for (Prerequisite q : p.closure()) {
            Check c = checks.get(q);
            if (q != p && c != null && c.state() != State.HOLDS) {
                return q;
            }
        }
        return null;
    }

    private Check measure(Prerequisite p) {
        return switch (p) {
            case IDENTIFIES -> identify();
            case FEATURES_NEGOTIATE -> negotiate(p, driver);
            case QUEUE_SETUP -> queue(p, driver);
            case REQUEST_COMPLETES -> request(p, driver, "");
            case INTERRUPTS_ARRIVE -> interrupts();
            case RESET_WORKS -> reset();
        };
    }

    private Check identify() {
        driver = new BlkDriver(target);
        int[] id = driver.identify();
        Prerequisite p = Prerequisite.IDENTIFIES;
        if (id[0] != MAGIC) {
            return Check.fails(p, "MagicValue 0x74726976", "MagicValue 0x" + Integer.toHexString(id[0]), "mmio.dev.1");
        }
        if (id[1] != VERSION_MODERN && id[1] != VERSION_LEGACY) {
            return Check.fails(p, "Version 2 (or 1 for a legacy device)", "Version " + id[1], "mmio.dev.2");
        }
        if (id[2] != Blk.DEVICE_ID) {
            return Check.fails(p, "DeviceID 2 (block)", "DeviceID " + id[2], "blk-desc.dev.1");
        }
        legacy = id[1] == VERSION_LEGACY;
        return Check.holds(p, "virtio-mmio block device, Version " + id[1], "mmio.dev.1", "blk-desc.dev.1");
    }

    /** Wanted features: everything the careful driver knows except EVENT_IDX and MQ (one queue, plain notifies). */
    private static final long WANTED = ~BlkDriver.mask(FeatureBit.EVENT_IDX, FeatureBit.BLK_MQ);

    private Check negotiate(Prerequisite p, BlkDriver d) {
        if (!d.reset()) {
            return Check.fails(p, "Status reads 0 after writing 0", "Status 0x" + Integer.toHexString(
                    d.mmio().status()) + " " + Timeouts.reset().toMillis() + " ms after writing 0", "reset.dev.1");
        }
        long offered = d.acknowledge();
        if (!legacy && !FeatureBit.has(offered, FeatureBit.VERSION_1)) {
            d.fail();
            return Check.fails(p, "VIRTIO_F_VERSION_1 offered by a modern (Version 2) device; without it a driver "
                    + "refuses the device", "offered: " + FeatureBit.describe(offered), "reserved.dev.1");
        }
        long chosen = d.choose(WANTED);
        if (FeatureBit.has(offered, FeatureBit.BLK_ZONED)
                && d.mmio().config8(Blk.CFG_ZONED_MODEL) == Blk.Z_HM) {
            // A host-managed device must refuse FEATURES_OK without ZONED (blk.dev.8); a driver of it accepts
            // ZONED and leaves DISCARD (blk.drv.6).
            chosen = (chosen | FeatureBit.mask(FeatureBit.BLK_ZONED)) & ~FeatureBit.mask(FeatureBit.BLK_DISCARD);
        }
        d.writeDriverFeatures(chosen);
        if (!legacy && !d.featuresOk()) {
            int status = d.mmio().status();
            d.fail();
            return Check.fails(p, "FEATURES_OK kept for " + FeatureBit.describe(chosen), "Status 0x"
                    + Integer.toHexString(status) + " (" + DeviceStatus.describe(status) + ")", "features.dev.2");
        }
        return Check.holds(p, "negotiated " + FeatureBit.describe(chosen),
                legacy ? new String[] {"features.dev.2"} : new String[] {"reserved.dev.1", "features.dev.2"});
    }

    private Check queue(Prerequisite p, BlkDriver d) {
        d.mmio().write(QUEUE_SEL, 0);
        if (legacy) {
            int pfn = d.mmio().read(QUEUE_PFN);
            if (pfn != 0) {
                return Check.fails(p, "QueuePFN 0 after reset", "QueuePFN 0x" + Integer.toHexString(pfn),
                        "mmio-legacy.dev.5");
            }
        } else {
            int ready = d.mmio().read(QUEUE_READY);
            if (ready != 0) {
                return Check.fails(p, "QueueReady 0 after reset", "QueueReady " + ready, "mmio.dev.6");
            }
        }
        int max = d.mmio().read(QUEUE_NUM_MAX);
        if (max == 0) {
            return Check.fails(p, "request queue 0 exists (QueueNumMax > 0)", "QueueNumMax 0", "blk-desc.dev.2");
        }
        d.setupQueue(0, 0);
        if (!legacy) {
            int ready = d.mmio().read(QUEUE_READY);
            if (ready != 1) {
                return Check.fails(p, "QueueReady reads back 1 after the driver wrote 1", "QueueReady " + ready,
                        "mmio-desc.dev.5");
            }
        }
        return Check.holds(p, "queue 0 with " + d.queue(0).size() + " entries (QueueNumMax " + max + ")",
                legacy ? new String[] {"blk-desc.dev.2"} : new String[] {"mmio.dev.6", "blk-desc.dev.2",
                        "mmio-desc.dev.5"});
    }

    private Check request(Prerequisite p, BlkDriver d, String context) {
        if ((d.mmio().status() & DeviceStatus.DRIVER_OK) == 0) {
            d.driverOk();
        }
        d.clearSeenInterrupts();
        BlkDriver.Pending pending = d.post(0, BlkRequest.read(0, Blk.SECTOR_SIZE));
        String expected = "a well-formed READ of sector 0" + context + " is completed with a status byte";
        try {
            Completion c = d.await(pending);
            if (c.status() != Blk.S_OK && c.status() != Blk.S_IOERR && c.status() != Blk.S_UNSUPP) {
                return Check.fails(p, expected + " (OK, IOERR or UNSUPP)", "completed with status byte 0x"
                        + Integer.toHexString(c.status()), "blk-desc.dev.10");
            }
            return Check.holds(p, "READ completed" + context + " with status " + c.statusName(), "blk-desc.dev.10");
        } catch (CompletionTimeout t) {
            if (!t.needsReset()) {
                return new Check(p, State.FAILS, List.of("blk-desc.dev.10", "status.dev.3"), expected,
                        t.getMessage(), true, null);
            }
            boolean configIrq = (d.seenInterrupts() & INT_CONFIG_CHANGE) != 0
                    || (d.serviceInterrupt() & INT_CONFIG_CHANGE) != 0;
            if (t.driverOk() && !configIrq) {
                return Check.fails(p, expected + "; a device that sets DEVICE_NEEDS_RESET while DRIVER_OK is set "
                        + "sends a configuration change interrupt", t.getMessage() + "; no configuration change "
                        + "interrupt", "blk-desc.dev.10", "status.dev.4");
            }
            return Check.fails(p, expected, t.getMessage() + (configIrq ? "; configuration change interrupt seen"
                    : ""), "blk-desc.dev.10");
        }
    }

    private Check interrupts() {
        Prerequisite p = Prerequisite.INTERRUPTS_ARRIVE;
        Deadline dl = Deadline.in(Timeouts.completion().dividedBy(5));
        for (int attempt = 0; (driver.seenInterrupts() & INT_USED_BUFFER) == 0; attempt++) {
            if (dl.expired()) {
                return Check.fails(p, "a used-buffer notification (InterruptStatus bit 0"
                        + (driver.interruptLine() == null ? "" : " and the interrupt line")
                        + ") after a used buffer, with avail flags 0 and EVENT_IDX not negotiated", "none within "
                        + dl.budget().toMillis() + " ms of the used buffer; InterruptStatus bits seen 0x"
                        + Integer.toHexString(driver.seenInterrupts()), "split.dev.11");
            }
            driver.serviceInterrupt();
            dl.pause(attempt);
        }
        return Check.holds(p, "used-buffer interrupt seen", "split.dev.11");
    }

    private Check reset() {
        Prerequisite p = Prerequisite.RESET_WORKS;
        if (!driver.reset()) {
            return Check.fails(p, "Status reads 0 after writing 0", "Status 0x" + Integer.toHexString(
                    driver.mmio().status()) + " " + Timeouts.reset().toMillis() + " ms after writing 0 to a live "
                    + "device", "reset.dev.1");
        }
        BlkDriver again = new BlkDriver(target);
        again.identify();
        List<java.util.function.Supplier<Check>> steps = List.of(() -> negotiate(p, again), () -> queue(p, again),
                () -> request(p, again, " after a reset and a re-initialization"));
        for (java.util.function.Supplier<Check> step : steps) {
            Check c = step.get();
            if (c.state() != State.HOLDS) {
                return new Check(p, c.state(), c.ids(), c.expected(), "after a reset of the live device and a "
                        + "careful re-initialization: " + c.observed(), c.wedged(), null);
            }
        }
        driver = again;
        return Check.holds(p, "reset, re-initialized, and a READ completed again", "reset.dev.1");
    }
}
