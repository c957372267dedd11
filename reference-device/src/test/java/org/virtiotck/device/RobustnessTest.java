package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.spec.SplitRing.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;

/**
 * Seeded random abuse: random register traffic and random (but bounded) ring contents. The device must
 * never throw, and it must never write guest memory other than the used ring and the device-writable
 * buffers of chains it was given (checked against a snapshot taken before each notify).
 */
class RobustnessTest {
    private static final int ROUNDS = 3000;

    @Test
    void randomRegisterTrafficNeverThrows() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        try {
            for (int round = 0; round < 200; round++) {
                boolean legacy = rnd.nextBoolean();
                TestDriver d = new TestDriver(BlockDeviceConfig.builder().legacy(legacy).queues(1 + rnd.nextInt(3))
                        .queueNumMax(1 << rnd.nextInt(9)).build());
                for (int i = 0; i < 300; i++) {
                    long off = rnd.nextInt(4) == 0 ? rnd.nextInt(0x300) : (rnd.nextInt(0x50) * 4);
                    int width = 1 << rnd.nextInt(4);
                    if (rnd.nextBoolean()) {
                        d.dev.read(off, width);
                    } else {
                        long v = switch (rnd.nextInt(4)) {
                            case 0 -> rnd.nextLong();
                            case 1 -> rnd.nextInt(16);
                            case 2 -> TestDriver.RAM_BASE + rnd.nextInt(TestDriver.RAM_SIZE);
                            default -> 1L << rnd.nextInt(32);
                        };
                        d.dev.write(off, width, v);
                    }
                    if (rnd.nextInt(50) == 0) {
                        d.dev.write(QUEUE_NOTIFY, 4, rnd.nextInt(3));
                    }
                }
                assertThat(d.dev.driverViolations().size()).isLessThanOrEqualTo(DriverRuleChecker.MAX_RECORDED);
            }
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": " + t, t);
        }
    }

    /** One random ring episode on a properly initialized device; checks the canary property. */
    @Test
    void randomRingsNeverWriteOutsideWritableBuffers() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int needsReset = 0;
        int completed = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                TestDriver d = new TestDriver();
                d.queueSize = 1 << rnd.nextInt(5);
                d.init(rnd.nextBoolean() ? TestDriver.bit(org.virtiotck.spec.FeatureBit.EVENT_IDX) : 0);
                SegmentGuestMemory m = d.mem;
                // Random descriptors: addresses mostly inside a 64 KiB window, some wild.
                long window = TestDriver.HEAP;
                int tables = 1 + rnd.nextInt(3);
                long[] indirectTables = new long[tables];
                for (int i = 0; i < tables; i++) {
                    indirectTables[i] = window + 0x8000 + 0x100L * i;
                }
                // fill the window with a canary pattern
                m.fill(window, 0x10000, (byte) 0xcd);
                for (int i = 0; i < d.queueSize; i++) {
                    randomDesc(rnd, d, TestDriver.DESC, i, window, indirectTables);
                }
                for (long t : indirectTables) {
                    for (int i = 0; i < 16; i++) {
                        randomDesc(rnd, d, t, i, window, indirectTables);
                    }
                }
                int n = rnd.nextInt(d.queueSize + 1);
                for (int i = 0; i < n; i++) {
                    int head = rnd.nextInt(8) == 0 ? rnd.nextInt(0x10000) : rnd.nextInt(d.queueSize);
                    m.writeLe16(TestDriver.AVAIL + 4 + 2L * i, head);
                }
                m.writeLe16(TestDriver.AVAIL + 2, rnd.nextInt(10) == 0 ? rnd.nextInt(0x10000) : n);
                // Work out which bytes the device may write: writable buffers of the valid chains, the used ring.
                byte[] before = m.read(TestDriver.RAM_BASE, TestDriver.RAM_SIZE);
                boolean[] allowed = allowedBytes(d, before, n);
                d.dev.write(QUEUE_NOTIFY, 4, 0);
                byte[] after = m.read(TestDriver.RAM_BASE, TestDriver.RAM_SIZE);
                for (int i = 0; i < after.length; i++) {
                    int skip = java.util.Arrays.mismatch(before, i, before.length, after, i, after.length);
                    if (skip < 0) {
                        break;
                    }
                    i += skip;
                    if (!allowed[i]) {
                        throw new AssertionError(String.format("round %d: device wrote 0x%x at 0x%x outside writable "
                                + "buffers (needsReset=%s)", round, after[i], TestDriver.RAM_BASE + i,
                                d.dev.needsResetReason()));
                    }
                }
                if (d.dev.needsReset()) {
                    needsReset++;
                    assertThat(d.r(STATUS) & DeviceStatus.DEVICE_NEEDS_RESET).isNotZero();
                } else {
                    completed++;
                }
                // a reset always brings the device back
                d.w(STATUS, 0);
                assertThat(d.r(STATUS)).isZero();
            }
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + ": " + t, t);
        }
        assertThat(needsReset).as("seed %d: some episodes are malformed", seed).isPositive();
        assertThat(completed).as("seed %d: some episodes are fine", seed).isPositive();
    }

    private static void randomDesc(Random rnd, TestDriver d, long table, int i, long window, long[] tables) {
        int kind = rnd.nextInt(20);
        long addr;
        int len;
        int flags = 0;
        if (kind == 0) {
            addr = rnd.nextLong();
            len = rnd.nextInt();
        } else if (kind == 1 && table == TestDriver.DESC) {
            addr = tables[rnd.nextInt(tables.length)];
            len = 16 * (1 + rnd.nextInt(16));
            flags = INDIRECT;
        } else {
            addr = window + rnd.nextInt(0x7000);
            len = rnd.nextInt(4) == 0 ? 16 : rnd.nextInt(0x900);
        }
        if (rnd.nextInt(3) == 0) {
            flags |= DESC_F_WRITE;
        }
        if (rnd.nextInt(2) == 0) {
            flags |= DESC_F_NEXT;
        }
        if (rnd.nextInt(30) == 0) {
            flags |= DESC_F_INDIRECT;
        }
        int next = rnd.nextInt(10) == 0 ? rnd.nextInt(0x10000) : rnd.nextInt(Math.max(1, d.queueSize));
        d.writeDesc(table, i, addr, len, flags, next);
        // give some readable buffers a plausible header
        if ((flags & DESC_F_WRITE) == 0 && len >= 16 && kind > 1 && rnd.nextBoolean()) {
            int[] types = {Blk.T_IN, Blk.T_OUT, Blk.T_FLUSH, Blk.T_GET_ID, Blk.T_DISCARD, Blk.T_WRITE_ZEROES,
                    Blk.T_SECURE_ERASE, Blk.T_GET_LIFETIME, 77};
            d.mem.writeLe32(addr, types[rnd.nextInt(types.length)]);
            d.mem.writeLe64(addr + 8, rnd.nextInt(2100));
        }
    }

    private static final int INDIRECT = DESC_F_INDIRECT;

    /**
     * An independent, deliberately simple model of which bytes the device may write: for each published
     * head, follow the chain like the spec describes and mark device-writable buffers; stop at the first
     * invalid chain (the device stops there too). Plus the used ring.
     */
    private static boolean[] allowedBytes(TestDriver d, byte[] ram, int published) {
        boolean[] ok = new boolean[ram.length];
        long used = TestDriver.USED;
        mark(ok, used, 6 + 8L * d.queueSize);
        int n = d.queueSize;
        int count = Math.min(published, n);
        for (int i = 0; i < count; i++) {
            int head = le16(ram, TestDriver.AVAIL + 4 + 2L * i);
            List<long[]> bufs = new ArrayList<>();
            if (!collect(ram, TestDriver.DESC, n, head, true, bufs, 0)) {
                break;
            }
            for (long[] b : bufs) {
                mark(ok, b[0], b[1]);
            }
        }
        return ok;
    }

    private static boolean collect(byte[] ram, long table, int entries, int idx, boolean top, List<long[]> out,
            int depth) {
        for (int steps = 0; steps <= entries; steps++) {
            if (idx >= entries) {
                return false;
            }
            long dsc = table + 16L * idx;
            if (!inRam(dsc, 16)) {
                return false;
            }
            long addr = le64(ram, dsc);
            long len = le32(ram, dsc + 8);
            int flags = le16(ram, dsc + 12);
            int next = le16(ram, dsc + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!top || (flags & DESC_F_NEXT) != 0 || len == 0 || len % 16 != 0 || !inRam(addr, len)) {
                    return false;
                }
                return collect(ram, addr, (int) (len / 16), 0, false, out, depth + 1);
            }
            if ((flags & DESC_F_WRITE) != 0 && len > 0) {
                if (!inRam(addr, len)) {
                    return false;
                }
                out.add(new long[] {addr, len});
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return true;
            }
            idx = next;
        }
        return false;
    }

    private static boolean inRam(long addr, long len) {
        return addr >= TestDriver.RAM_BASE && len >= 0 && addr - TestDriver.RAM_BASE <= TestDriver.RAM_SIZE - len;
    }

    private static void mark(boolean[] ok, long addr, long len) {
        if (!inRam(addr, len)) {
            return;
        }
        int from = (int) (addr - TestDriver.RAM_BASE);
        for (int i = 0; i < len; i++) {
            ok[from + i] = true;
        }
    }

    private static int le16(byte[] ram, long gpa) {
        int o = (int) (gpa - TestDriver.RAM_BASE);
        return (ram[o] & 0xff) | (ram[o + 1] & 0xff) << 8;
    }

    private static long le32(byte[] ram, long gpa) {
        return (le16(ram, gpa) & 0xffffL) | ((long) le16(ram, gpa + 2) << 16);
    }

    private static long le64(byte[] ram, long gpa) {
        return le32(ram, gpa) | le32(ram, gpa + 4) << 32;
    }
}
