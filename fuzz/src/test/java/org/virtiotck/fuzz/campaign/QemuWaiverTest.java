package org.virtiotck.fuzz.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.virtiotck.fuzz.exec.Complaint.Kind.DIFF;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.waiver.WaiverFile;
import org.virtiotck.reports.waiver.Waivers;

/** The fuzz lines of waivers/qemu-7.2-modern.txt cover the complaints they name and no others. */
class QemuWaiverTest {
    private static Waivers qemu() throws Exception {
        return WaiverFile.read(Path.of("..", "waivers", "qemu-7.2-modern.txt").toAbsolutePath().normalize(),
                RequirementRegistry.load());
    }

    @Test
    void theZeroLengthElementDeviationIsWaivedButOtherUsedIdxComplaintsAreNot() throws Exception {
        Waivers w = qemu();
        Complaint zero = new Complaint("diff:notify:zero-length-element", DIFF, "x", List.of("split.dev.1"));
        assertNotNull(Triage.waivedBy(zero, w));
        assertNull(Triage.waivedBy(new Complaint("diff:notify:used-idx", DIFF, "x", List.of("split-desc.dev.1")), w));
        assertNull(Triage.waivedBy(new Complaint("diff:notify:needs-reset", DIFF, "x", List.of("status.dev.3")), w));
        assertEquals(Severity.HIGH, Triage.severity(
                new Complaint("diff:notify:needs-reset", DIFF, "x", List.of("status.dev.3"))));
    }

    @Test
    void aTypeTwoStatusIsCoveredByLineTenButAnInStatusIsNot() throws Exception {
        Waivers w = qemu();
        assertNotNull(Triage.waivedBy(new Complaint("diff:status-byte:type2", DIFF, "x",
                List.of("blk-desc.dev.10")), w));
        assertNull(Triage.waivedBy(new Complaint("diff:status-byte:IN", DIFF, "x", List.of("blk-desc.dev.10")), w));
    }
}
