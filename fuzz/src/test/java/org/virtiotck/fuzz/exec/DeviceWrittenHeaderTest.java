package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.spec.Blk;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.HostControl;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * A chain whose header lies in bytes an earlier chain's IN wrote: the request the device reads comes from its
 * disk. Found against the served asynchronous reference (flaky diff:status-byte:type-1651208314, 0 of 3 on
 * fresh targets): there the harness cannot read the target's disk, so the reference oracle's disk holds other
 * data, and it compared the status of a different request.
 */
class DeviceWrittenHeaderTest {
    private static Program program() throws IOException {
        try (InputStream in = DeviceWrittenHeaderTest.class.getResourceAsStream("header-in-in-data-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A correct reference device whose disk holds 0xff in sectors 2044-2045, reached without host control. */
    static ForwardingTarget withOtherDisk() {
        ReferenceTarget t = (ReferenceTarget) Targets.open("reference");
        byte[] ff = new byte[1024];
        Arrays.fill(ff, (byte) 0xff);
        t.device().backend().write(2044L * Blk.SECTOR_SIZE, ff, 0, ff.length);
        return new ForwardingTarget(t) {
            @Override
            public Optional<HostControl> host() {
                return Optional.empty(); // like a device behind a wire: its disk cannot be copied to the oracle
            }
        };
    }

    @Test
    void theStatusOfARequestReadFromDeviceWrittenBytesIsNotComparedWhileTheDisksMayDiffer() throws IOException {
        try (Harness h = Harness.forTarget(withOtherDisk(), "test:other-disk", 0)) {
            assertFalse(h.disksInSync());
            assertNull(h.run(program()));
            Observation ref = h.referenceObservation();
            Observation tgt = h.targetObservation();
            assertEquals(2, ref.used, ref.describe());
            assertTrue(ref.uHeaderWritten[1], "chain 3's header lies in chain 0's IN data");
            assertFalse(ref.uHeaderWritten[0]);
            assertEquals(Blk.T_IN, ref.uType[1], "named by the type the reference read (its disk holds zeros)");
            assertEquals(-1, tgt.uType[1], "the target read 0xffffffff from its disk");
            assertEquals(Blk.S_UNSUPP, tgt.uStatus[1]);
        }
    }

    @Test
    void withDisksInSyncTheSameStatusIsCompared() throws IOException {
        // Two copies of the device: the target's observation is altered below, the oracle's must stay as it was.
        Target t = Targets.open("reference");
        try (Harness h = new Harness(t, Targets.open("reference"), TargetProfile.probe(t), true, 0)) {
            assertTrue(h.disksInSync());
            assertNull(h.run(program()));
            Observation ref = h.referenceObservation();
            assertTrue(ref.uHeaderWritten[1]);
            Observation tgt = h.targetObservation();
            tgt.uStatus[1] = Blk.S_UNSUPP; // what a device that misread the same bytes would answer
            Complaint c = new Differential(-1L).compare(program(), ref, tgt, true);
            assertEquals("diff:status-byte:IN", c == null ? null : c.signature());
        }
    }
}
