package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;

/**
 * A QueueSel naming a queue the device does not have may be ignored, the queue selected before staying selected
 * (QEMU 7.2 ignores values from 1024 up): the layout written next may then land on that queue. QEMU 7.2 finding
 * ff84ee414 (second form): QueueSel 1024, QueueNum 0 and every ring address at RAM+0, then QueueReady and a notify
 * of queue 0; QEMU kept queue 0 selected, kept its size (0 is not a valid one) and set the used ring's flags at
 * RAM+0, which the harness, following the selection, called {@code canary:outside-writable}.
 */
class IgnoredQueueSelTest {
    private static final Program PROGRAM = new Program(List.of(new Op.QueueSetup(1024, 0, 0, 0, 0),
            new Op.QueueReady(0, 1), new Op.Notify(0)));

    /** The reference, plus what QEMU did at the notify: the used ring's flags (NO_NOTIFY) set at RAM+0. */
    private static Target flagsAtRamBase() {
        return AfterNotify.open("reference", (target, n) -> target.writeMemory(target.ram().base(),
                new byte[] {(byte) SplitRing.USED_F_NO_NOTIFY}, 0, 1));
    }

    @Test
    void theRingsWrittenWhileTheSelectionNamesNoQueueMayBeThePreviousQueues() {
        try (Harness h = Harness.forTarget(flagsAtRamBase(), "test:ignores-queue-sel", 0)) {
            Complaint c = h.run(PROGRAM);
            assertNull(c, () -> c.signature() + ": " + c.summary());
        }
    }

    @Test
    void aSelectionOfATrackedQueueIsNotSecondGuessed() {
        // The same layout written to queue 1, which exists for the harness: queue 0's rings stay where they were.
        Program p = new Program(List.of(new Op.QueueSetup(1, 0, 0, 0, 0), new Op.QueueReady(0, 1),
                new Op.Notify(0)));
        try (Harness h = Harness.forTarget(flagsAtRamBase(), "test:ignores-queue-sel", 0)) {
            Complaint c = h.run(p);
            assertEquals("canary:outside-writable", c == null ? null : c.signature());
        }
    }
}
