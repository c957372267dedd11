package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Targets;

/**
 * A device may keep QueueNum, the ring addresses and DriverFeatures across a reset (the spec clears only QueueReady
 * and InterruptStatus; QEMU 7.2 keeps them): every run of a campaign must still start from the state a replay on a
 * fresh target starts from. Found as {@code canary:outside-writable} at RAM+0xdc in QEMU campaigns (1670 hits in
 * 10 minutes, 0 of 3 on replay): a program that set QueueReady and FEATURES_OK without writing a layout or
 * features ran on the rings of an earlier program (a queue of 8 at 0/128/152) with its EVENT_IDX, and QEMU wrote
 * avail_event at 152 + 4 + 8 * 8 = 0xdc.
 */
class ResetLeftoversTest {
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;

    /** A well-behaved session: EVENT_IDX and VERSION_1 accepted, queue 0 of 8 at 0 / 128 / 152, DRIVER_OK. */
    static Program setUp() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.SetStatus(0));
        ops.add(new Op.SetStatus(1));
        ops.add(new Op.SetStatus(3));
        ops.add(new Op.Features(0, 1 << FeatureBit.EVENT_IDX));
        ops.add(new Op.Features(1, 1 << (FeatureBit.VERSION_1 - 32)));
        ops.add(new Op.SetStatus(11));
        ops.add(new Op.QueueSetup(0, 8, 0, 128, 152));
        ops.add(new Op.QueueReady(0, 1));
        ops.add(new Op.SetStatus(15));
        return new Program(ops);
    }

    /**
     * FEATURES_OK and QueueReady without DriverFeatures or a layout written (driver-rule violations: only the
     * invariants are judged), then a FLUSH chain at descriptors 0 and 1 (a Descriptor op addresses the table at 0
     * when no layout was written) and an avail ring at 128 holding idx 1 and head 0 (written as a header's bytes).
     */
    static Program enableWithoutLayout() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.SetStatus(0));
        ops.add(new Op.SetStatus(1));
        ops.add(new Op.SetStatus(3));
        ops.add(new Op.SetStatus(11));
        ops.add(new Op.QueueReady(0, 1));
        ops.add(new Op.SetStatus(15));
        ops.add(new Op.Header(224, Blk.T_FLUSH, 0, 0));
        ops.add(new Op.Descriptor(0, 0, 224, 16, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, 240, 1, WRITE, 0));
        ops.add(new Op.Header(128, 1 << 16, 0, 0)); // avail flags 0, idx 1, ring[0] = head 0
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    private static Harness keeping() {
        return Harness.forTarget(KeepingTarget.reference("reference"), "keeping:reference", 0);
    }

    @Test
    void aRunAfterAnotherStartsFromTheStateOfAFreshTarget() {
        Program p = enableWithoutLayout();
        try (Harness h = keeping()) {
            assertThat(h.run(p)).as("on a fresh target").isNull();
        }
        try (Harness h = keeping()) {
            assertThat(h.run(setUp())).isNull();
            Complaint c = h.run(p);
            assertThat(c).as("after a program that left a layout and EVENT_IDX behind:%n%s",
                    h.targetObservation().describe()).isNull();
        }
    }

    /**
     * The program QEMU's campaign minimized (QueueReady and FEATURES_OK without a layout or DriverFeatures, then
     * three chains), on QEMU 7.2 itself when it is installed: after {@link #setUp} it wrote 2 bytes at RAM+0xdc
     * (avail_event of the earlier program's used ring) before the write-back; on a fresh QEMU it never did.
     */
    @Test
    void qemuRunsTheMinimizedProgramAfterAnotherAsOnAFreshTarget() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-aarch64")), "QEMU not installed");
        Program p = LateDeviceTest.program("qemu-ready-without-layout");
        String uri = "qemu:aarch64-virt";
        try (Harness h = Harness.forTarget(Targets.open(uri), uri, 500)) {
            assertThat(h.run(p)).as("on a fresh QEMU").isNull();
            assertThat(h.run(setUp())).isNull();
            assertThat(h.run(p)).as("after a program that left a queue of 8 at 0/128/152 and EVENT_IDX").isNull();
        }
    }

    @Test
    void aProgramThatWritesWhatItUsesCostsNoExtraRoundTrip() {
        try (Harness h = keeping()) {
            h.run(setUp());
            h.run(setUp());
            long second = h.lastRoundTrips(); // the first had no guest memory to restore
            h.run(setUp());
            assertThat(h.lastRoundTrips()).as("after a run that left a layout").isEqualTo(second);
            h.run(enableWithoutLayout());
            long writtenBack = h.lastRoundTrips();
            h.run(enableWithoutLayout());
            // Queue 0 (8 writes), both feature words (4), the selectors and the second reset (4); the guest memory
            // the two runs restore differs by a range or so.
            assertThat(writtenBack - h.lastRoundTrips()).as("the write-back").isBetween(14L, 16L);
        }
    }

    @Test
    void aSeededCampaignAgainstADeviceThatKeepsRegistersListsNothing() {
        Campaign.Result r = new Campaign(CampaignConfig.of("keeping:reference", Duration.ofSeconds(120), 20_000L, 3)
                .withTargetFactory(() -> KeepingTarget.reference("reference"))).run();
        assertThat(r.harnessError()).isNull();
        assertThat(r.report().findings()).as("findings").isEmpty();
        assertThat(r.report().flaky()).as("flaky").isEmpty();
        assertThat(r.report().execs()).isEqualTo(20_000L);
    }
}
