package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.device.BlockDeviceConfig;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;

/**
 * The oracle of a target the harness cannot copy mirrors its DISCARD and WRITE_ZEROES limits: a segment within
 * the target's max_write_zeroes_sectors but beyond the reference's default (32,768) is served, not failed. Found
 * against QEMU 7.2 (finding f96e1fb5c, a WRITE_ZEROES of 103,095 sectors: QEMU allows 4,194,303 and answered OK,
 * the oracle with the reference's limit expected IOERR).
 */
class SegmentLimitsMirrorTest {
    private static final int QEMU_MAX = 4_194_303;
    private static final long CAPACITY = 1 << 17;

    /** A correct device with QEMU 7.2's limits (max_discard_seg and max_write_zeroes_seg 1, may-unmap set). */
    private static ReferenceTarget qemuLike() {
        BlockDeviceConfig c = BlockDeviceConfig.builder().capacitySectors(CAPACITY).discardLimits(QEMU_MAX, 1, 1)
                .writeZeroesLimits(QEMU_MAX, 1, true).build();
        return new ReferenceTarget("test:qemu-like-limits", c, 1 << 20, d -> d);
    }

    @Test
    void theMirrorHoldsTheTargetsLimits() {
        BlockDeviceConfig m = TargetProfile.probe(qemuLike()).mirror();
        assertEquals(QEMU_MAX, m.maxWriteZeroesSectors());
        assertEquals(1, m.maxWriteZeroesSeg());
        assertTrue(m.writeZeroesMayUnmap());
        assertEquals(QEMU_MAX, m.maxDiscardSectors());
        assertEquals(1, m.maxDiscardSeg());
        assertEquals(CAPACITY, m.capacitySectors());
    }

    @Test
    void aWriteZeroesWithinTheTargetsLimitIsNotAComplaint() {
        List<Op> ops = SplitHeaderTest.started(1 << FeatureBit.BLK_WRITE_ZEROES);
        ops.add(new Op.Header(224, Blk.T_WRITE_ZEROES, 0, 0));
        ops.add(new Op.Segment(240, 0, 40_000, 0));
        ops.add(new Op.Descriptor(0, 0, 224, Blk.HEADER_SIZE, SplitRing.DESC_F_NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, 240, 16, SplitRing.DESC_F_NEXT, 2));
        ops.add(new Op.Descriptor(0, 2, 256, 1, SplitRing.DESC_F_WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        try (Harness h = Harness.forTarget(qemuLike(), "test:qemu-like-limits", 0)) {
            Complaint c = h.run(new Program(ops));
            assertNull(c, () -> c.signature() + ": " + c.summary());
            assertEquals(Blk.S_OK, h.referenceObservation().uStatus[0], h.referenceObservation().describe());
            assertEquals(Blk.S_OK, h.targetObservation().uStatus[0]);
        }
    }
}
