package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * A completion is described from the chain the harness walked when it was offered, never from an earlier offer of
 * the same head: found on reference:legacy (finding faeb53d23, seed 101), where a second device session put its
 * rings outside the checked arena and the head's record from the first session (1 writable byte) made the
 * reference's own 513-byte completion read as split.dev.16.
 */
class StaleChainRecordTest {
    private static final int LEGACY_RUNNING = 7; // ACKNOWLEDGE | DRIVER | DRIVER_OK (legacy has no FEATURES_OK)
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;

    /** Reset, legacy init accepting ANY_LAYOUT and {@code features}, a queue of 8 whose descriptor table is at
     * {@code desc} (QueueAlign and GuestPageSize 4096), DRIVER_OK. */
    static void session(List<Op> ops, long desc, int features) {
        ops.add(new Op.SetStatus(0));
        ops.add(new Op.Read(MmioRegister.MAGIC_VALUE, 4));
        ops.add(new Op.Read(MmioRegister.VERSION, 4));
        ops.add(new Op.Read(MmioRegister.DEVICE_ID, 4));
        ops.add(new Op.SetStatus(1));
        ops.add(new Op.SetStatus(3));
        ops.add(new Op.Features(0, 1 << FeatureBit.ANY_LAYOUT | features));
        ops.add(new Op.Write(MmioRegister.GUEST_PAGE_SIZE, 4, 4096));
        ops.add(new Op.QueueSetup(0, 8, desc, desc + 128, desc + 4096, 4096));
        ops.add(new Op.SetStatus(LEGACY_RUNNING));
    }

    /** Two sessions; head 0 is an IN with a 1-byte status buffer first, then an IN of one sector. */
    static Program twoSessions(long secondDesc) {
        List<Op> ops = new ArrayList<>();
        session(ops, 0, 0);
        ops.add(new Op.Header(8192, Blk.T_IN, 0, 0));
        ops.add(new Op.Descriptor(0, 0, 8192, 16, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, 8208, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        session(ops, secondDesc, 0);
        ops.add(new Op.Header(8192, Blk.T_IN, 0, 0));
        ops.add(new Op.Descriptor(0, 0, 8192, 16, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, 8208, 512, WRITE | NEXT, 2));
        ops.add(new Op.Descriptor(0, 2, 8720, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    @Test
    void aHeadOfferedAgainWithItsRingsOutsideTheArenaIsNotDescribedByItsFirstOffer() {
        try (Harness h = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0)) {
            assertNull(h.run(twoSessions(ShadowArena.ARENA)));
            Observation ref = h.referenceObservation();
            assertEquals(List.of(), ref.violations(), "the program keeps the driver rules");
            assertEquals(2, ref.used, ref.describe());
            assertEquals(513, ref.uLen[1], "the second IN wrote a sector and its status");
            // Read from guest RAM outside the arena (OffArenaTableTest): described by its own offer, never by the
            // first one's single writable byte.
            assertEquals(513, ref.uWritable[1], "the second offer is described by its own chain");
        }
    }

    @Test
    void theSameProgramWithItsRingsInsideTheArenaRecordsTheSecondOffer() {
        try (Harness h = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0)) {
            assertNull(h.run(twoSessions(16384)));
            Observation ref = h.referenceObservation();
            assertEquals(2, ref.used, ref.describe());
            assertEquals(1, ref.uWritable[0]);
            assertEquals(513, ref.uWritable[1]);
            assertEquals(Blk.S_OK, ref.uStatus[1]);
        }
    }

    @Test
    void aUsedLenAboveTheWritableBytesOfTheChainOfferedIsStillCaught() {
        Target broken = AfterNotify.open("reference:legacy", (t, n) -> {
            if (n == 2) {
                // The second session's used ring is at 16384 + 4096: its element 0 says 600 bytes were written.
                t.writeMemory(t.ram().base() + 16384 + 4096 + 4 + 4, new byte[] {(byte) 600, 600 >> 8, 0, 0}, 0, 4);
            }
        });
        try (Harness h = Harness.forTarget(broken, "broken:used-len", 0)) {
            Complaint c = h.run(twoSessions(16384));
            assertEquals("diff:used-len-exceeds-writable", c == null ? null : c.signature());
        }
    }
}
