package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Observation;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.tck.spi.Targets;

/**
 * The oracle against a correct device that takes chains late ({@link LateTarget}: the reference device, each
 * notification reaching it 6 target calls after it was written). Every program here drew a complaint from a
 * campaign against that device before the oracle learnt the rules of asynchronous devices (the program's name
 * says which); each must now draw none, and a late device that is broken must still be caught.
 * <ul>
 *   <li>late-needs-reset, late-status-*: the executor flushed its shadow by ranges, so the late device saw an avail
 *       idx before the chain it exposes was written (a driver keeps that order, split.drv.26);</li>
 *   <li>late-disk: the disk was compared after a driver-rule violation (only invariants are judged then);</li>
 *   <li>late-malformed-left: a rule-breaking chain exposed after the last notify, which the late device took and the
 *       oracle never did (the oracle now serves what is left and counts the violation from the exposure);</li>
 *   <li>late-rings-writable: buffers over the rings let the device rewrite the chains it reads, at its own moments
 *       (the canary cannot be exact then, against an asynchronous device).</li>
 * </ul>
 */
class LateDeviceTest {
    static final int DELAY = 6;
    static final long SETTLE_MS = 200;

    static Program program(String name) throws IOException {
        try (InputStream in = LateDeviceTest.class.getResourceAsStream(name + "-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Harness late() {
        return Harness.forTarget(LateTarget.reference("reference", DELAY), "late:reference", SETTLE_MS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"late-needs-reset", "late-status-in", "late-status-out", "late-status-flush", "late-disk",
        "late-malformed-left", "late-rings-writable"})
    void aProgramThatOnceDrewAComplaintFromALateDeviceDrawsNone(String name) throws IOException {
        Program p = program(name);
        try (Harness h = late()) {
            Complaint c = h.run(p);
            assertThat(c).as("%s:%n%s%nreference:%n%s", name, h.targetObservation().describe(),
                    h.referenceObservation().describe()).isNull();
        }
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            assertThat(h.run(p)).as("synchronous: " + name).isNull();
        }
    }

    /**
     * From a campaign against the served reference ({@code --complete-after-ms 2}): a notify written before the
     * queue was set up reached the device after it was live, so it served a chain offered later that was never
     * notified (as a device whose I/O thread looks at its queues some time after an event does; a device may also
     * poll). Whenever the late notify lands, the chains available at the end are the device's to write.
     */
    @Test
    void aNotifyWrittenBeforeTheQueueWasLiveMayServeChainsOfferedLater() throws IOException {
        Program p = program("late-notify-before-ready");
        assertThat(p.get(15)).isEqualTo(new Op.Notify(0)); // before QueueReady (op 20) and DRIVER_OK (op 21)
        assertThat(p.ops().subList(16, p.size())).doesNotContain(new Op.Notify(0));
        int served = 0;
        for (int delay = 1; delay <= 40; delay++) {
            try (Harness h = Harness.forTarget(LateTarget.reference("reference", delay), "late:reference",
                    SETTLE_MS)) {
                Complaint c = h.run(p);
                assertThat(c).as("notify %d calls late:%n%s", delay, h.targetObservation().describe()).isNull();
                byte[] status = new byte[1];
                h.target().readMemory(h.target().ram().base() + 240, status, 0, 1); // chain 0's status byte
                served += status[0] == 0 ? 1 : 0; // FLUSH completed OK, so the un-notified chain was served
            }
        }
        assertThat(served).as("delays at which the device served the chain offered after the early notify")
                .isPositive();
    }

    @Test
    void aLateDeviceThatWritesPastItsUsedRingIsStillCaught() throws IOException {
        try (Harness h = Harness.forTarget(new LateTarget(BrokenTargets.overrun(), DELAY), "late:overrun",
                SETTLE_MS)) {
            Complaint c = h.run(program("late-status-in"));
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }

    @Test
    void aRuleBreakingChainLeftExposedCountsFromItsExposure() throws IOException {
        Program p = program("late-malformed-left");
        int exposedAt = 31; // avail head 3: an indirect table whose entry is itself indirect (split.drv.7)
        assertThat(p.get(exposedAt)).isEqualTo(new Op.Avail(0, 3));
        try (Harness h = late()) {
            h.run(p);
            Observation ref = h.referenceObservation();
            assertThat(ref.violationOp()).isEqualTo(exposedAt);
            assertThat(ref.violations()).anyMatch(v -> v.startsWith("split.drv.7"));
        }
    }

    /** Init, a queue of 8, then a notify while nothing is exposed: a late device takes it after what follows. */
    private static List<Op> prefix() throws IOException {
        return new ArrayList<>(program("late-status-in").ops().subList(0, 23));
    }

    @Test
    void rewritingADescriptorOfAnExposedChainBreaksInitDrv9() throws IOException {
        List<Op> ops = prefix();
        ops.add(new Op.Descriptor(0, 2, 752, 1, 2, 0)); // completes chain 0 (header, data, status)
        ops.add(new Op.Avail(0, 0)); // exposed from here
        int rewrite = ops.size();
        ops.add(new Op.Descriptor(0, 1, 240, 512, 3, 2)); // its data buffer made device-writable: an IN now
        ops.add(new Op.Notify(0));
        try (Harness h = late()) {
            assertThat(h.run(new Program(ops))).isNull();
            Observation ref = h.referenceObservation();
            assertThat(ref.violationOp()).isEqualTo(rewrite);
            assertThat(ref.violations()).anyMatch(v -> v.startsWith("init.drv.9"));
        }
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            h.run(new Program(ops));
            assertThat(h.referenceObservation().violationOp()).as("a synchronous device takes it at the notify")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aSeededCampaignAgainstALateDeviceFindsNothing() {
        // A fixed number of execs, so every machine runs the same programs (the late device is deterministic too).
        Campaign.Result r = new Campaign(CampaignConfig.of("late:reference", Duration.ofSeconds(120), 60_000L, 2)
                .withTargetFactory(() -> LateTarget.reference("reference", DELAY)).withSettleMillis(SETTLE_MS)).run();
        assertThat(r.harnessError()).isNull();
        assertThat(r.report().findings()).as("findings against a correct late device").isEmpty();
        assertThat(r.report().execs()).isEqualTo(60_000L);
    }
}
