package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.GUEST_PAGE_SIZE;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.campaign.Triage;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.waiver.WaiverFile;
import org.virtiotck.reports.waiver.Waivers;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * QEMU 7.2's legacy deviation 12: its used ring starts where the available ring would end without used_event,
 * padded to QueueAlign, 2 or 4 bytes before the place §2.7.2 gives it. The oracle names its writes there instead
 * of calling them corruption (before comparing used idx: a used idx the device keeps there is such a write), cites
 * split-legacy.dev.1 and mmio-legacy.dev.3, and the legacy waiver file (whose suite test is waived for those ids)
 * covers it; the same writes elsewhere are not named so.
 */
class UsedRingBeforeUsedEventTest {
    private static final long HEADER = 0x3000;
    private static final long STATUS_BYTE = 0x3010;

    /** The second legacy campaign's canary finding (3 ops): GuestPageSize 1, QueueNum 0, QueueAlign 1, a notify. */
    static Program canaryProgram() {
        return TestPrograms.load("qemu-legacy-used-before-used-event-program.json");
    }

    /** A driver that keeps the rules: 8 entries at RAM+0x1000 with QueueAlign 4, one FLUSH, one notify. */
    static Program flushProgram() {
        return new Program(List.of(new Op.SetStatus(1), new Op.SetStatus(3), new Op.Features(0, 0),
                new Op.Write(GUEST_PAGE_SIZE, 4, 4096), new Op.QueueSetup(0, 8, 0x1000, 0, 0, 4),
                new Op.SetStatus(7), new Op.Header(HEADER, Blk.T_FLUSH, 0, 0),
                new Op.Descriptor(0, 0, HEADER, 16, 1, 1), new Op.Descriptor(0, 1, STATUS_BYTE, 1, 2, 0),
                new Op.Avail(0, 0), new Op.Notify(0)));
    }

    private static Waivers legacyWaivers() throws Exception {
        return WaiverFile.read(Path.of("..", "waivers", "qemu-7.2-legacy.txt").toAbsolutePath().normalize(),
                RequirementRegistry.load());
    }

    /** The legacy reference device with its used idx moved 4 bytes back after each notify, as QEMU places it. */
    private static Target usedIdxFourBytesEarly() {
        return new ForwardingTarget(Targets.open("reference:legacy")) {
            @Override
            public void write(long offset, int width, long value) {
                long idx = inner.ram().base() + 0x1000 + 0x98 + 2; // 128 + 6 + 16 = 150, padded to 4: 0x98
                byte[] before = new byte[2];
                inner.readMemory(idx, before, 0, 2);
                inner.write(offset, width, value);
                if (offset == QUEUE_NOTIFY) {
                    byte[] now = new byte[2];
                    inner.readMemory(idx, now, 0, 2);
                    inner.writeMemory(idx - 4, now, 0, 2);
                    inner.writeMemory(idx, before, 0, 2);
                }
            }
        };
    }

    @Test
    void theReferenceItselfHasNothingToSay() {
        try (Harness h = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0)) {
            assertThat(h.run(flushProgram())).isNull();
        }
    }

    @Test
    void aWriteWhereTheEarlyUsedRingLiesIsNamedAndWaivedForQemuLegacy() throws Exception {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().flippingAtNotify(0x1204, 2), "qemu-legacy-like", 0)) {
            Complaint c = h.run(canaryProgram());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:used-ring-before-used-event");
            assertThat(c.requirementIds()).containsExactly("split-legacy.dev.1", "mmio-legacy.dev.3");
            assertThat(Triage.waivedBy(c, legacyWaivers())).isNotNull();
        }
    }

    @Test
    void aWriteElsewhereIsStillCorruption() throws Exception {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().flippingAtNotify(0xe00, 2), "qemu-legacy-like", 0)) {
            Complaint c = h.run(canaryProgram());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
            assertThat(Triage.waivedBy(c, legacyWaivers())).isNull();
        }
    }

    @Test
    void aUsedIdxMovedBeforeUsedEventByADriverThatKeptTheRulesIsNamedAndWaivedForQemuLegacy() throws Exception {
        try (Harness h = Harness.forTarget(usedIdxFourBytesEarly(), "qemu-legacy-like", 0)) {
            Complaint c = h.run(flushProgram());
            assertThat(c).as(h.targetObservation().describe()).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:used-ring-before-used-event");
            assertThat(Triage.waivedBy(c, legacyWaivers())).isNotNull();
        }
    }
}
