package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * GuestPageSize written while a legacy queue is live follows the rule of every live layout write
 * (org.virtiotck.queue): a device may keep the queue where it is or place it again at QueuePFN &times; the new page
 * size, so both layouts are allowed for canary purposes and layout-dependent behaviour is no longer compared. The
 * program is the shape of the canary false positive once seen on reference:legacy: the page size rewritten under a
 * live queue, then an indirect table rewritten in place, its status byte at RAM+0x1420.
 */
class LiveGuestPageSizeTest {
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;

    static Program program() {
        List<Op> ops = new ArrayList<>();
        StaleChainRecordTest.session(ops, 0, 1 << FeatureBit.INDIRECT_DESC);
        ops.add(new Op.Header(0x1200, Blk.T_IN, 0, 3));
        ops.add(new Op.IndirectTable(0x1100, List.of(new Op.Entry(0x1200, 16, NEXT, 1),
                new Op.Entry(0x1210, 512, WRITE | NEXT, 2), new Op.Entry(0x1410, 1, WRITE, 0))));
        ops.add(new Op.Descriptor(0, 0, 0x1100, 48, SplitRing.DESC_F_INDIRECT, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0)); // op 14
        ops.add(new Op.Write(MmioRegister.GUEST_PAGE_SIZE, 4, 8192)); // op 15: the queue is live
        ops.add(new Op.IndirectTable(0x1100, List.of(new Op.Entry(0x1200, 16, NEXT, 1),
                new Op.Entry(0x1220, 512, WRITE | NEXT, 2), new Op.Entry(0x1420, 1, WRITE, 0))));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        ops.add(new Op.Read(MmioRegister.INTERRUPT_STATUS, 4));
        return new Program(ops);
    }

    @Test
    void aPageSizeWrittenUnderALiveQueueMakesTheLayoutAmbiguousAndAKeptQueueIsAccepted() {
        try (Harness h = Harness.forTarget(Targets.open("reference:legacy"), "reference:legacy", 0)) {
            assertNull(h.run(program()));
            Observation ref = h.referenceObservation();
            assertEquals(List.of(), ref.violations(), "no driver rule the reference knows is broken");
            assertEquals(15, ref.layoutOp, "both layouts are allowed from the GuestPageSize write on");
            assertEquals(2, ref.used, ref.describe());
            assertEquals(Blk.S_OK, ref.uStatus[1], "the reference kept the queue where it was and served it");
        }
    }

    @Test
    void theTwoViewsOfTheLiveQueueDifferAfterTheWrite() {
        LayoutTracker t = new LayoutTracker(ReferenceTarget.RAM_BASE, true);
        t.track(MmioRegister.GUEST_PAGE_SIZE, 4096);
        t.track(MmioRegister.QUEUE_SEL, 0);
        t.track(MmioRegister.QUEUE_NUM, 8);
        t.track(MmioRegister.QUEUE_ALIGN, 4096);
        assertFalse(t.track(MmioRegister.QUEUE_PFN, (int) (ReferenceTarget.RAM_BASE / 4096)));
        TrackedQueue q = t.queue(0);
        assertEquals(ReferenceTarget.RAM_BASE, q.kept.descAddr);
        assertTrue(t.track(MmioRegister.GUEST_PAGE_SIZE, 8192), "kept and re-placed layouts differ");
        assertEquals(ReferenceTarget.RAM_BASE, q.kept.descAddr);
        assertEquals(ReferenceTarget.RAM_BASE * 2, q.taken.descAddr);
        t.track(MmioRegister.STATUS, 0);
        assertFalse(t.track(MmioRegister.GUEST_PAGE_SIZE, 4096), "no live queue after a reset");
    }

    @Test
    void aWriteOutsideEveryLayoutIsStillCaughtAfterThePageSizeWrite() {
        Target broken = AfterNotify.open("reference:legacy",
                (t, n) -> t.writeMemory(t.ram().base() + 0x1500, new byte[] {0x5a}, 0, 1)); // no buffer is there
        try (Harness h = Harness.forTarget(broken, "broken:stray-byte", 0)) {
            Complaint c = h.run(program());
            assertEquals("canary:outside-writable", c == null ? null : c.signature());
        }
    }
}
