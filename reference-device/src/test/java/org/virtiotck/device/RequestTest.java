package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.device.TestDriver.ro;
import static org.virtiotck.device.TestDriver.wr;
import static org.virtiotck.spec.FeatureBit.*;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

class RequestTest {

    private static long segments(TestDriver d, long[][] segs) {
        long a = d.alloc(16 * segs.length);
        for (int i = 0; i < segs.length; i++) {
            d.mem.writeLe64(a + 16L * i, segs[i][0]);
            d.mem.writeLe32(a + 16L * i + 8, (int) segs[i][1]);
            d.mem.writeLe32(a + 16L * i + 12, (int) segs[i][2]);
        }
        return a;
    }

    private static TestDriver.Result segmentRequest(TestDriver d, int type, long[][] segs) {
        long h = d.header(type, 0);
        long s = segments(d, segs);
        long st = d.alloc(1);
        return d.submit(ro(h, 16), ro(s, 16 * segs.length), wr(st, 1));
    }

    private static byte[] ones(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xa5);
        return b;
    }

    @Test
    void writeZeroesZeroesWithAndWithoutUnmap() {
        TestDriver d = new TestDriver().init();
        d.write(0, ones(4096));
        TestDriver.Result r = segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{1, 2, 0}, {5, 1, Blk.SEGMENT_FLAG_UNMAP}});
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(r.usedLen()).isEqualTo(1);
        byte[] disk = d.dev.backend().read(0, 4096);
        for (int s = 0; s < 8; s++) {
            boolean zero = s == 1 || s == 2 || s == 5;
            byte[] sector = Arrays.copyOfRange(disk, s * 512, s * 512 + 512);
            assertThat(sector).as("sector %d", s).isEqualTo(zero ? new byte[512] : ones(512));
        }
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void discardAndSecureErase() {
        TestDriver d = new TestDriver().init();
        d.write(0, ones(2048));
        assertThat(segmentRequest(d, Blk.T_DISCARD, new long[][] {{0, 1, 0}}).status()).isEqualTo(Blk.S_OK);
        assertThat(segmentRequest(d, Blk.T_SECURE_ERASE, new long[][] {{2, 2, 0}}).status()).isEqualTo(Blk.S_OK);
        assertThat(d.dev.backend().read(1024, 1024)).isEqualTo(new byte[1024]);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void discardWithUnmapOrReservedFlagsIsUnsupported() {
        TestDriver d = new TestDriver().init();
        d.write(0, ones(512));
        assertThat(segmentRequest(d, Blk.T_DISCARD, new long[][] {{0, 1, 1}}).status()).isEqualTo(Blk.S_UNSUPP);
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{0, 1, 2}}).status()).isEqualTo(Blk.S_UNSUPP);
        assertThat(segmentRequest(d, Blk.T_SECURE_ERASE, new long[][] {{0, 1, 0x80000000L}}).status())
                .isEqualTo(Blk.S_UNSUPP);
        assertThat(d.dev.backend().read(0, 512)).isEqualTo(ones(512)); // nothing changed
        assertThat(d.violations()).containsExactly("blk.drv.24");
    }

    @Test
    void segmentLimitsAreEnforced() {
        TestDriver d = new TestDriver().init();
        long[][] nine = new long[9][];
        for (int i = 0; i < 9; i++) {
            nine[i] = new long[] {i, 1, 0};
        }
        assertThat(segmentRequest(d, Blk.T_DISCARD, nine).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, nine).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_SECURE_ERASE, nine).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.violations()).containsExactly("blk.drv.19", "blk.drv.21", "blk.drv.20");
        d.dev.clearDriverViolations();
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{0, 32769, 0}}).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{2047, 2, 0}}).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{2047, 1, 0}}).status()).isEqualTo(Blk.S_OK);
    }

    @Test
    void unnegotiatedCommandsAreUnsupported() {
        TestDriver d = new TestDriver().init(bit(BLK_DISCARD) | bit(BLK_LIFETIME));
        assertThat(segmentRequest(d, Blk.T_DISCARD, new long[][] {{0, 1, 0}}).status()).isEqualTo(Blk.S_UNSUPP);
        long h = d.header(Blk.T_GET_LIFETIME, 0);
        long data = d.alloc(6);
        long st = d.alloc(1);
        assertThat(d.submit(ro(h, 16), wr(data, 6), wr(st, 1)).status()).isEqualTo(Blk.S_UNSUPP);
    }

    @Test
    void getLifetimeReturnsValidValues() {
        TestDriver d = new TestDriver().init();
        long h = d.header(Blk.T_GET_LIFETIME, 0);
        long data = d.alloc(6);
        long st = d.alloc(1);
        TestDriver.Result r = d.submit(ro(h, 16), wr(data, 6), wr(st, 1));
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(r.usedLen()).isEqualTo(7);
        assertThat(d.mem.readLe16(data)).isEqualTo(1).isLessThanOrEqualTo(3);
        assertThat(d.mem.readLe16(data + 2)).isEqualTo(1).isLessThanOrEqualTo(11);
        assertThat(d.mem.readLe16(data + 4)).isEqualTo(2).isLessThanOrEqualTo(11);
    }

    /** 20 bytes: the NUL-padded serial; 10 bytes (blk.drv.18 broken): IOERR, and padding only, never the id. */
    static Stream<Arguments> getIdBuffers() {
        return Stream.of(Arguments.of(20, Blk.S_OK, Arrays.copyOf("virtio-tck-ref".getBytes(), 20), List.of()),
                Arguments.of(10, Blk.S_IOERR, new byte[10], List.of("blk.drv.18")));
    }

    @ParameterizedTest(name = "GET_ID into {0} bytes")
    @MethodSource("getIdBuffers")
    void getIdWritesTheSerialOnlyIntoAFullBuffer(int len, int status, byte[] expected, List<String> violations) {
        TestDriver d = new TestDriver().init();
        long data = d.alloc(len);
        d.mem.fill(data, len, (byte) 0x77);
        TestDriver.Result r = d.getId(data, len);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.usedLen()).isEqualTo(len + 1);
        assertThat(d.mem.read(data, len)).isEqualTo(expected);
        assertThat(d.violations()).isEqualTo(violations);
    }

    @Test
    void readOnlyDeviceRejectsWritesAndChangesNothing() {
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().readOnly(true).build()).init();
        assertThat(d.dev.config().readOnly()).isTrue();
        d.dev.backend().write(0, ones(512), 0, 512);
        assertThat(d.write(0, new byte[512]).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_WRITE_ZEROES, new long[][] {{0, 1, 0}}).status()).isEqualTo(Blk.S_IOERR);
        assertThat(segmentRequest(d, Blk.T_DISCARD, new long[][] {{0, 1, 0}}).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.dev.backend().read(0, 512)).isEqualTo(ones(512));
        assertThat(d.read(0, 512).data()).isEqualTo(ones(512));
    }

    @Test
    void readOnlyOfferedButNotAcceptedStillRejectsWrites() {
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().readOnly(true).build()).init(bit(BLK_RO));
        assertThat(d.write(0, new byte[512]).status()).isEqualTo(Blk.S_IOERR);
    }

    @Test
    void headerSplitAcrossDescriptorsAndDataMergedWithStatus() {
        TestDriver d = new TestDriver().init();
        byte[] data = TestDriver.pattern(1024, 3);
        // OUT: header in 3 pieces, then header tail + first data bytes in one buffer, rest of the data
        long buf = d.alloc(16 + 1024);
        d.mem.writeLe32(buf, Blk.T_OUT);
        d.mem.writeLe32(buf + 4, 0);
        d.mem.writeLe64(buf + 8, 7);
        d.mem.write(buf + 16, data);
        long st = d.alloc(1);
        TestDriver.Result w = d.submit(ro(buf, 3), ro(buf + 3, 5), ro(buf + 8, 100), ro(buf + 108, 932), wr(st, 1));
        assertThat(w.status()).isEqualTo(Blk.S_OK);
        // IN: data and status in a single writable buffer, plus a separate first piece
        long h = d.header(Blk.T_IN, 7);
        long in = d.alloc(1025);
        TestDriver.Result r = d.submit(ro(h, 16), wr(in, 1), wr(in + 1, 1024));
        assertThat(r.usedLen()).isEqualTo(1025);
        assertThat(d.mem.readU8(in + 1024)).isEqualTo(Blk.S_OK);
        assertThat(d.mem.read(in, 1024)).isEqualTo(data);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void unalignedLengthIsIoErr() {
        TestDriver d = new TestDriver().init();
        assertThat(d.write(0, new byte[100]).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.read(0, 100).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.violations()).containsExactly("blk.drv.16", "blk.drv.16");
    }

    @Test
    void indirectTableAfterDirectDescriptors() {
        TestDriver d = new TestDriver().init();
        byte[] data = TestDriver.pattern(512, 9);
        d.write(3, data);
        long h = d.header(Blk.T_IN, 3);
        long in = d.alloc(512);
        long st = d.alloc(1);
        long table = d.alloc(32);
        d.writeDesc(table, 0, in, 512, SplitRing.DESC_F_WRITE | SplitRing.DESC_F_NEXT, 1);
        d.writeDesc(table, 1, st, 1, SplitRing.DESC_F_WRITE, 0);
        byte[] tableBefore = d.mem.read(table, 32);
        // direct header descriptor, then a final indirect one carrying WRITE (ignored, split.dev.7)
        int head = d.nextDesc;
        d.writeDesc(TestDriver.DESC, head, h, 16, SplitRing.DESC_F_NEXT, head + 1);
        d.writeDesc(TestDriver.DESC, head + 1, table, 32, SplitRing.DESC_F_INDIRECT | SplitRing.DESC_F_WRITE, 0);
        d.nextDesc += 2;
        byte[] descBefore = d.mem.read(TestDriver.DESC, 16 * 16);
        d.publish(head);
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isEqualTo(2);
        assertThat(d.usedElem(1)).containsExactly(head, 513);
        assertThat(d.mem.readU8(st)).isEqualTo(Blk.S_OK);
        assertThat(d.mem.read(in, 512)).isEqualTo(data);
        assertThat(d.mem.read(table, 32)).isEqualTo(tableBefore);          // split.dev.6
        assertThat(d.mem.read(TestDriver.DESC, 16 * 16)).isEqualTo(descBefore);
        assertThat(d.dev.needsReset()).isFalse();
    }

    @Test
    void multipleQueuesWork() {
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().queues(2).build());
        d.negotiate(d.deviceFeatures());
        long base = TestDriver.RAM_BASE + 0x40000;
        d.setupQueue(0, 16, TestDriver.DESC, TestDriver.AVAIL, TestDriver.USED);
        d.setupQueue(1, 16, base, base + 0x1000, base + 0x2000);
        d.driverOk();
        assertThat(d.dev.read(org.virtiotck.spec.MmioRegister.CONFIG + Blk.CFG_NUM_QUEUES, 2)).isEqualTo(2);
        // a request on queue 1
        long h = d.header(Blk.T_FLUSH, 0);
        long st = d.alloc(1);
        d.writeDesc(base, 0, h, 16, SplitRing.DESC_F_NEXT, 1);
        d.writeDesc(base, 1, st, 1, SplitRing.DESC_F_WRITE, 0);
        d.mem.writeLe16(base + 0x1000 + 4, 0);
        d.mem.writeLe16(base + 0x1000 + 2, 1);
        d.notifyQueue(1);
        assertThat(d.mem.readLe16(base + 0x2000 + 2)).isEqualTo(1);
        assertThat(d.mem.readU8(st)).isEqualTo(Blk.S_OK);
        assertThat(d.usedIdx()).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
    }
}
