package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.cli.FuzzMain;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * Requests whose 16-byte header is split across readable descriptors (the driver frames a request as it likes,
 * split.dev.1): the executor names them by the type and sector in the first 16 bytes of the readable stream, as
 * the devices read them. QEMU 7.2 finding fc806a822 (docs/qemu-7.2-findings.md) was a BARRIER request with a
 * 15 + 1 header that the oracle named {@code unknown}, so its waiver did not apply.
 */
public class SplitHeaderTest {
    private static final int NEXT = SplitRing.DESC_F_NEXT;
    private static final int WRITE = SplitRing.DESC_F_WRITE;
    private static final long HEADER = 224;
    private static final int DATA = 1024;
    /** Where the status byte of a chain built by {@link #request} is. */
    private static final String BARRIER_AS_IN = "broken-test:barrier-served-as-in";
    static final long STATUS = HEADER + Blk.HEADER_SIZE + DATA;
    private static final long SECTOR = 5;

    /**
     * The initialization a driver does (reset, MagicValue, Version, DeviceID, both DeviceFeatures words, VERSION_1
     * only, Status re-read after FEATURES_OK), queue 0 of 8 entries at 0 / 128 / 152, DRIVER_OK: no driver rule is
     * broken, so every comparison is made.
     */
    private static List<Op> started() {
        return started(0);
    }

    /** The same, accepting {@code word0} of the device's features too. */
    public static List<Op> started(int word0) {
        int s = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER;
        return new ArrayList<>(List.of(new Op.SetStatus(0), new Op.Read(MmioRegister.MAGIC_VALUE, 4),
                new Op.Read(MmioRegister.VERSION, 4), new Op.Read(MmioRegister.DEVICE_ID, 4),
                new Op.SetStatus(DeviceStatus.ACKNOWLEDGE), new Op.SetStatus(s),
                new Op.Write(MmioRegister.DEVICE_FEATURES_SEL, 4, 0), new Op.Read(MmioRegister.DEVICE_FEATURES, 4),
                new Op.Write(MmioRegister.DEVICE_FEATURES_SEL, 4, 1), new Op.Read(MmioRegister.DEVICE_FEATURES, 4),
                new Op.Features(0, word0), new Op.Features(1, 1), new Op.SetStatus(s | DeviceStatus.FEATURES_OK),
                new Op.Read(MmioRegister.STATUS, 4), new Op.QueueSetup(0, 8, 0, 128, 152), new Op.QueueReady(0, 1),
                new Op.SetStatus(s | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK)));
    }

    /**
     * One request at head 0: its header at {@value #HEADER} then {@value #DATA} data bytes, read through descriptors
     * of the given lengths for the header's first pieces (the last readable descriptor holds the rest of the header
     * and the data), and a 1-byte status buffer.
     */
    private static Program request(int type, int... pieces) {
        List<Op> ops = started();
        ops.add(new Op.Header(HEADER, type, 0, SECTOR));
        ops.add(new Op.Payload(HEADER + Blk.HEADER_SIZE, DATA, 7));
        long at = HEADER;
        int index = 0;
        for (int len : pieces) {
            ops.add(new Op.Descriptor(0, index, at, len, NEXT, index + 1));
            at += len;
            index++;
        }
        ops.add(new Op.Descriptor(0, index, at, STATUS - at, NEXT, index + 1));
        ops.add(new Op.Descriptor(0, index + 1, STATUS, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    private static Observation referenceRun(Program p) {
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            Complaint c = h.run(p);
            assertNull(c, () -> c.signature() + ": " + c.summary());
            Observation ref = h.referenceObservation();
            assertEquals(-1, ref.violationOp, ref.describe());
            return ref;
        }
    }

    @Test
    void aHeaderSplitAcrossDescriptorsIsNamedByItsTypeAndSector() {
        for (int[] pieces : new int[][] {{}, {15}, {8}, {1}, {3, 1, 2}}) {
            Observation ref = referenceRun(request(Blk.T_OUT, pieces));
            String layout = "header pieces " + Arrays.toString(pieces) + " + rest";
            assertEquals(1, ref.used, ref.describe());
            assertEquals(Blk.T_OUT, ref.uType[0], layout);
            assertEquals(SECTOR, ref.uSector[0], layout);
            assertEquals(DATA, ref.uDataOut[0], layout);
            assertEquals(Blk.S_OK, ref.uStatus[0], layout);
            assertFalse(ref.uHeaderOverlap[0] || ref.uHeaderWritten[0], layout);
        }
    }

    @Test
    void aHeaderWithAPieceOutsideTheArenaStaysUnnamed() {
        // The second piece lies in RAM but beyond the executor's shadow arena: those bytes are not known.
        List<Op> ops = started();
        ops.add(new Op.Header(HEADER, Blk.T_OUT, 0, SECTOR));
        ops.add(new Op.Descriptor(0, 0, HEADER, 8, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, ShadowArena.ARENA, 8, NEXT, 2));
        ops.add(new Op.Descriptor(0, 2, STATUS, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        ops.add(new Op.Notify(0));
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            h.run(new Program(ops));
            Observation ref = h.referenceObservation();
            assertEquals(1, ref.used, ref.describe());
            assertEquals(-1, ref.uType[0]);
            assertEquals(0, ref.uSector[0]);
        }
    }

    /**
     * Chain 0 is an IN of sector 0 whose data buffer starts 2 bytes into chain 3's header (written with type
     * 0xffff0001, sector 9): its header's second piece, 14 bytes, lies in bytes chain 0 writes. The disk holds
     * zeros, so after chain 0 the header reads type 1 (OUT), sector 0. With {@code notifyBetween} chain 3 is offered
     * after chain 0 completed (the bytes are device-written), otherwise both are offered together (overlap). Both
     * headers are written first: writing chain 3's after chain 0 completed would replace what the device wrote.
     */
    private static Program headerPieceInInData(boolean notifyBetween) {
        long h3 = 1024;
        List<Op> ops = started();
        ops.add(new Op.Header(512, Blk.T_IN, 0, 0));
        ops.add(new Op.Header(h3, 0xffff0001, 0, 9));
        ops.add(new Op.Descriptor(0, 0, 512, Blk.HEADER_SIZE, NEXT, 1));
        ops.add(new Op.Descriptor(0, 1, h3 + 2, Blk.SECTOR_SIZE, NEXT | WRITE, 2));
        ops.add(new Op.Descriptor(0, 2, 2048, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 0));
        if (notifyBetween) {
            ops.add(new Op.Notify(0));
        }
        ops.add(new Op.Descriptor(0, 3, h3, 2, NEXT, 4));
        ops.add(new Op.Descriptor(0, 4, h3 + 2, 14, NEXT, 5));
        ops.add(new Op.Descriptor(0, 5, 2560, 1, WRITE, 0));
        ops.add(new Op.Avail(0, 3));
        ops.add(new Op.Notify(0));
        return new Program(ops);
    }

    @Test
    void aHeaderPieceInAnotherChainsWritableBufferIsMarkedAndTheTypeIsReadAcrossPieces() {
        for (boolean notifyBetween : new boolean[] {false, true}) {
            try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
                h.run(headerPieceInInData(notifyBetween));
                Observation ref = h.referenceObservation();
                assertEquals(2, ref.used, ref.describe());
                String when = notifyBetween ? "offered after chain 0 completed" : "offered with chain 0";
                assertEquals(Blk.T_IN, ref.uType[0], when);
                assertFalse(ref.uHeaderOverlap[0] || ref.uHeaderWritten[0], when);
                assertEquals(!notifyBetween, ref.uHeaderOverlap[1], when);
                // Chain 0 is walked (its buffer marked device-writable) before chain 3 is recorded: both cases.
                assertTrue(ref.uHeaderWritten[1], when);
                assertEquals(Blk.T_OUT, ref.uType[1], when + ": the type's high half was overwritten with zeros");
            }
        }
    }

    @Test
    void aSplitHeaderBarrierRequestServedAsInIsNamedByItsType() {
        // QEMU 7.2 masks BARRIER (0x80000000) and serves an IN, which fails (IOERR); the reference answers UNSUPP.
        Program p = request(0x80000000, 15);
        try (Harness h = Harness.forTarget(Targets.open(BARRIER_AS_IN), BARRIER_AS_IN, 0)) {
            Complaint c = h.run(p);
            assertEquals("diff:status-byte:type-2147483648", c == null ? null : c.signature());
            assertEquals(List.of("blk-desc.dev.10"), c.requirementIds());
            assertTrue(c.summary().contains("sector " + SECTOR), c.summary());
        }
    }

    @Test
    void replayWithTheQemuWaiversPrintsTheDeviationWaivedAndExitsZero(@TempDir Path dir) throws IOException {
        Path program = Files.writeString(dir.resolve("barrier.json"), ProgramJson.toJson(request(0x80000000, 15)));
        Path waivers = Path.of("..", "waivers", "qemu-7.2-modern.txt").toAbsolutePath().normalize();
        String[] replay = {"replay", program.toString(), "--target", BARRIER_AS_IN, "--settle-ms", "0"};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream());

        assertEquals(1, FuzzMain.run(replay, out, err), bytes::toString);
        assertTrue(bytes.toString().startsWith("REPRODUCED "), bytes::toString);
        bytes.reset();
        String[] waived = Arrays.copyOf(replay, replay.length + 2);
        waived[replay.length] = "--waivers";
        waived[replay.length + 1] = waivers.toString();
        assertEquals(0, FuzzMain.run(waived, out, err), bytes::toString);
        assertTrue(bytes.toString().startsWith("WAIVED REPRODUCED "), bytes::toString);
        assertTrue(bytes.toString().contains("diff:status-byte:type-2147483648"), bytes::toString);
        assertTrue(bytes.toString().contains("(waiver: blk-desc.dev.10"), bytes::toString);
    }

    @Test
    void theDiskRangeOfASplitHeaderOutIsCompared() {
        // A device that writes one byte of the OUT's sector wrong: the disk oracle compares the range it names.
        Target t = AfterNotify.open("reference", (target, n) -> {
            var disk = ((ReferenceTarget) target).device().backend();
            byte[] b = new byte[1];
            disk.read(SECTOR * Blk.SECTOR_SIZE + 100, b, 0, 1);
            b[0] ^= (byte) 0xff;
            disk.write(SECTOR * Blk.SECTOR_SIZE + 100, b, 0, 1);
        });
        try (Harness h = Harness.forTarget(t, "broken:disk-byte", 0)) {
            assertTrue(h.disksInSync());
            Complaint c = h.run(request(Blk.T_OUT, 15));
            assertEquals("disk:written-range", c == null ? null : c.signature());
            assertTrue(c.summary().contains("at sector " + SECTOR), c.summary());
        }
    }
}
