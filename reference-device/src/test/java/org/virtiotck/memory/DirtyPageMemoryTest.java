package org.virtiotck.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DirtyPageMemoryTest {
    private static final long BASE = 0x40000000L;
    private static final int SIZE = 1 << 20; // 256 pages: four bitmap words

    private final SegmentGuestMemory raw = SegmentGuestMemory.allocate(BASE, SIZE);
    private final DirtyPageMemory ram = new DirtyPageMemory(raw);

    @Test
    void zeroWrittenClearsEveryKindOfWriteAndNothingElse() {
        ram.writeU8(BASE + 5, 0x11);
        ram.writeLe16(BASE + 4095, 0x2222); // straddles pages 0 and 1
        ram.writeLe32(BASE + 64 * 4096 - 2, 0x33333333); // straddles bitmap words 0 and 1
        ram.writeLe64(BASE + SIZE - 8, -1L); // the last page
        ram.write(BASE + 10 * 4096 + 7, new byte[3 * 4096]); // zeros over pages 10-13: still tracked
        ram.write(BASE + 10 * 4096 + 7, filled(3 * 4096, 0x44));
        ram.fill(BASE + 100 * 4096, 70 * 4096, (byte) 0x55); // a run of 70 pages, across a word boundary
        markOnly(BASE + 200 * 4096 + 9, 1, 0x66); // reported through markWritten
        // A byte written past the tracker and never reported: zeroWritten must leave it (it clears dirty pages only).
        raw.writeU8(BASE + 50 * 4096, 0x77);

        ram.zeroWritten();

        byte[] all = raw.read(BASE, SIZE);
        for (int i = 0; i < SIZE; i++) {
            assertThat(all[i]).as("byte %d", i).isEqualTo(i == 50 * 4096 ? (byte) 0x77 : 0);
        }
    }

    @Test
    void aWholeWordOfDirtyPagesAndRandomWritesAllReadZeroAfterwards() {
        ram.fill(BASE, 64 * 4096, (byte) 1); // every bit of the first bitmap word
        SplittableRandom r = new SplittableRandom(7);
        for (int k = 0; k < 500; k++) {
            int len = 1 + r.nextInt(9000);
            long at = BASE + r.nextInt(SIZE - len);
            ram.write(at, filled(len, 1 + r.nextInt(255)));
        }
        ram.zeroWritten();
        assertThat(raw.read(BASE, SIZE)).containsOnly(0);
        // and it forgot them: the next clear has nothing to do, and zero-length marks are no-ops
        raw.writeU8(BASE + 3, 9);
        ram.markWritten(BASE + 3, 0);
        ram.zeroWritten();
        assertThat(raw.readU8(BASE + 3)).isEqualTo(9);
    }

    @Test
    void writesOutsideTheRamFailAndMarkNothing() {
        assertThatThrownBy(() -> ram.writeLe32(BASE + SIZE - 2, 1)).isInstanceOf(GuestMemoryFault.class);
        assertThat(ram.base()).isEqualTo(BASE);
        assertThat(ram.size()).isEqualTo(SIZE);
    }

    private void markOnly(long gpa, int len, int value) {
        raw.writeU8(gpa, value);
        ram.markWritten(gpa, len);
    }

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
