package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;

/**
 * A reset within a program: a device must clear QueueReady (mmio.dev.6) and may keep QueueNum and the ring
 * addresses, as QEMU 7.2 does; a driver that enables the queue again without writing them gets the old rings.
 * QEMU 7.2 finding ff84ee414 (third form): QueueNum 0 and rings at 0 / 128 / 152, a reset, QueueReady, DRIVER_OK
 * and a notify; QEMU ran the queue at its kept size (256: it never took the 0) with EVENT_IDX and wrote avail_event
 * at RAM+0x89c, which the harness, whose views the reset had zeroed, called {@code canary:outside-writable}.
 */
class ResetKeepsLayoutTest {
    private static final long USED = 152;

    /** The reference, plus what QEMU does at the notify: the flags of the used ring at {@value #USED} set. */
    private static Target usedFlagsSet() {
        return AfterNotify.open("reference", (target, n) -> target.writeMemory(target.ram().base() + USED,
                new byte[] {(byte) SplitRing.USED_F_NO_NOTIFY}, 0, 1));
    }

    private static Program program(int size, Op... afterReset) {
        List<Op> ops = new ArrayList<>(List.of(new Op.QueueSetup(0, size, 0, 128, USED), new Op.SetStatus(0)));
        ops.addAll(List.of(afterReset));
        ops.addAll(List.of(new Op.QueueReady(0, 1), new Op.SetStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER
                | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK), new Op.Notify(0)));
        return new Program(ops);
    }

    private static Complaint run(Program p) {
        try (Harness h = Harness.forTarget(usedFlagsSet(), "test:keeps-registers", 0)) {
            return h.run(p);
        }
    }

    @Test
    void anInvalidSizeWrittenBeforeTheResetLeavesTheDeviceItsOwn() {
        // (With a valid size the driver's own layout, which a reset does not change, already covers the kept rings.)
        Complaint c = run(program(0));
        assertNull(c, () -> c.signature() + ": " + c.summary());
    }

    @Test
    void aLayoutWrittenAgainAfterTheResetReplacesTheKeptOne() {
        Complaint c = run(program(8, new Op.QueueSetup(0, 8, 1024, 1152, 1280)));
        assertEquals("canary:outside-writable", c == null ? null : c.signature());
    }
}
