package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Targets;

/**
 * The status of a DISCARD, WRITE_ZEROES or SECURE_ERASE depends on its segments as much as on its header, so the
 * oracle treats them alike: segments in bytes an earlier chain's IN wrote (disk data, not known to agree on a
 * target behind a wire) or in another chain's writable buffer, and headers outside the arena, leave the status
 * uncompared. Found against the served asynchronous reference: flaky {@code diff:status-byte:DISCARD} (a segment
 * in an earlier IN's data) and {@code diff:status-byte:unknown} (a header at the arena's last 8 bytes), each 0 of 3
 * on fresh targets.
 */
class ParsedSegmentInputTest {
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;
    private static final long IN_DATA = 1024;
    /** The sector whose data differs on the target ({@link DeviceWrittenHeaderTest#withOtherDisk}). */
    private static final long DISK_SECTOR = 2044;

    /**
     * Head 0: an IN of sector 2044 into {@value #IN_DATA}; head 3: a DISCARD whose one segment is read from
     * {@code segmentAt}. With {@code notifyBetween} the IN is notified (and completed) before the DISCARD is offered.
     */
    private static Program inThenDiscard(long segmentAt, boolean notifyBetween) {
        List<Op> ops = SplitHeaderTest.started(1 << FeatureBit.BLK_DISCARD);
        ops.add(new Op.Header(224, Blk.T_IN, 0, DISK_SECTOR));
        ops.add(new Op.Descriptor(0, 0, 224, Blk.HEADER_SIZE, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, IN_DATA, Blk.SECTOR_SIZE, NEXT | WRITE, 2));
        ops.add(new Op.Descriptor(0, 2, 1600, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        if (notifyBetween) {
            ops.add(new Op.Notify(0));
        }
        ops.add(new Op.Header(1700, Blk.T_DISCARD, 0, 0));
        ops.add(new Op.Segment(1800, 8, 1, 0));
        ops.add(new Op.Descriptor(0, 3, 1700, Blk.HEADER_SIZE, NEXT, 4));
        ops.add(new Op.Descriptor(0, 4, segmentAt, 16, NEXT, 5));
        ops.add(new Op.Descriptor(0, 5, 1900, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 3));
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    @Test
    void aDiscardWhoseSegmentAnEarlierInWroteIsNotComparedWhileTheDisksMayDiffer() {
        try (Harness h = Harness.forTarget(DeviceWrittenHeaderTest.withOtherDisk(), "test:other-disk", 0)) {
            assertFalse(h.disksInSync());
            Complaint c = h.run(inThenDiscard(IN_DATA, true));
            assertNull(c, () -> c.signature() + ": " + c.summary());
            Observation ref = h.referenceObservation();
            Observation tgt = h.targetObservation();
            assertEquals(2, ref.used, ref.describe());
            assertEquals(Blk.T_DISCARD, ref.uType[1]);
            assertTrue(ref.uHeaderWritten[1], "the DISCARD's segment lies in the IN's data");
            assertFalse(ref.uHeaderWritten[0]);
            assertNotEquals(ref.uStatus[1], tgt.uStatus[1], "the two disks gave the DISCARD different segments");
        }
    }

    @Test
    void aDiscardWhoseSegmentTheDriverWroteIsCompared() {
        try (Harness h = Harness.forTarget(DeviceWrittenHeaderTest.withOtherDisk(), "test:other-disk", 0)) {
            assertNull(h.run(inThenDiscard(1800, true)));
            Observation ref = h.referenceObservation();
            assertEquals(Blk.T_DISCARD, ref.uType[1]);
            assertFalse(ref.uHeaderWritten[1] || ref.uHeaderOverlap[1], ref.describe());
            assertEquals(Blk.S_OK, ref.uStatus[1]);
        }
    }

    @Test
    void aDiscardWhoseSegmentLiesInAChainOfferedWithItDependsOnTheCompletionOrder() {
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            assertNull(h.run(inThenDiscard(IN_DATA, false)));
            Observation ref = h.referenceObservation();
            assertEquals(2, ref.used, ref.describe());
            assertTrue(ref.uHeaderOverlap[1], "the DISCARD's segment lies in the IN's writable buffer");
            assertFalse(ref.uHeaderOverlap[0]);
        }
    }

    @Test
    void aHeaderReachingPastTheArenaIsUnknownBytes() {
        List<Op> ops = SplitHeaderTest.started(0);
        long header = ShadowArena.ARENA - 8;
        ops.add(new Op.Descriptor(0, 0, header, Blk.HEADER_SIZE, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, 1600, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            assertNull(h.run(new Program(ops)));
            Observation ref = h.referenceObservation();
            assertEquals(1, ref.used, ref.describe());
            assertEquals(-1, ref.uType[0]);
            assertTrue(ref.uHeaderWritten[0], "8 of its bytes lie outside the arena, which runs do not restore");
        }
    }
}
