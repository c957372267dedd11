package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;

/**
 * A queue set up again while it is live (mmio.drv.15 broken), its rings zeroed by the driver: a device that
 * ignored the new setup keeps its avail position (1), so the zeroed avail idx reads to it as 65,535 new entries,
 * every one of them head 0. QEMU 7.2 does exactly that (virtqueue_split_pop checks only that the avail idx
 * differs from its own) and wrote a status byte through the chain's rewritten descriptor: finding ff84ee414,
 * {@code canary:outside-writable} at RAM+0x0, reported by the harness that took its own restart of the ring for
 * the device's.
 */
class LiveRestartTest {
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;
    private static final long REWRITTEN_STATUS = 400;

    private static Program program() {
        List<Op> ops = SplitHeaderTest.started(0);
        ops.add(new Op.Header(224, Blk.T_GET_ID, 0, 0));
        ops.add(new Op.Descriptor(0, 0, 224, Blk.HEADER_SIZE, NEXT, 2));
        ops.add(new Op.Descriptor(0, 2, 300, 21, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        ops.add(new Op.QueueSetup(0, 8, 0, 128, 152)); // live: QueueReady is 1
        ops.add(new Op.Descriptor(0, 2, REWRITTEN_STATUS, 1, WRITE, 0));
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    /** The reference, plus what QEMU does at the second notify: head 0 served again, its status byte written. */
    private static Target servingHeadZeroAgain() {
        return AfterNotify.open("reference", (target, n) -> {
            if (n == 2) {
                target.writeMemory(target.ram().base() + REWRITTEN_STATUS, new byte[] {Blk.S_OK}, 0, 1);
            }
        });
    }

    @Test
    void aDeviceThatKeptItsPlaceInTheRingMayServeEverySlot() {
        try (Harness h = Harness.forTarget(servingHeadZeroAgain(), "test:keeps-its-place", 0)) {
            Complaint c = h.run(program());
            assertNull(c, () -> c.signature() + ": " + c.summary());
            assertTrue(h.referenceObservation().violationOp >= 0, "setting a live queue up again breaks a rule");
        }
    }

    @Test
    void withoutTheRestartTheSameWriteIsOutsideEveryWritableBuffer() {
        List<Op> ops = new java.util.ArrayList<>(program().ops());
        ops.remove(ops.size() - 3); // no QueueSetup: the device has nothing left to serve at the second notify
        try (Harness h = Harness.forTarget(servingHeadZeroAgain(), "test:keeps-its-place", 0)) {
            Complaint c = h.run(new Program(ops));
            assertEquals("canary:outside-writable", c == null ? null : c.signature());
        }
    }
}
