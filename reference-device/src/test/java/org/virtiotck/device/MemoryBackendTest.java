package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chunked RAM disk against a plain byte array: accesses across chunk boundaries, zeroing, resizing. */
class MemoryBackendTest {
    private static final long SEED = 0x5eedL;
    private static final int SIZE = 5 * 65536 + 1234;

    @Test
    void randomAccessesMatchAFlatArray() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        MemoryBackend disk = new MemoryBackend(SIZE);
        byte[] model = new byte[SIZE];
        for (int step = 0; step < 2000; step++) {
            int offset = rnd.nextInt(SIZE);
            int length = rnd.nextInt(Math.min(SIZE - offset, 3 * 65536) + 1);
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    byte[] src = new byte[length + 3];
                    rnd.nextBytes(src);
                    disk.write(offset, src, 3, length);
                    System.arraycopy(src, 3, model, offset, length);
                }
                case 1 -> {
                    disk.writeZeroes(offset, length);
                    Arrays.fill(model, offset, offset + length, (byte) 0);
                }
                default -> {
                    byte[] dst = new byte[length + 2];
                    disk.read(offset, dst, 2, length);
                    assertThat(Arrays.copyOfRange(dst, 2, 2 + length)).as("seed %s step %s", SEED, step)
                            .isEqualTo(Arrays.copyOfRange(model, offset, offset + length));
                }
            }
        }
        assertThat(disk.read(0, SIZE)).as("seed %s", SEED).isEqualTo(model);
    }

    @Test
    void bytesCutOffByShrinkingReadZeroAfterGrowingAgain() {
        MemoryBackend disk = new MemoryBackend(3 * 65536);
        byte[] ones = new byte[3 * 65536];
        Arrays.fill(ones, (byte) 1);
        disk.write(0, ones, 0, ones.length);
        disk.resize(65536 + 100);
        assertThat(disk.sizeBytes()).isEqualTo(65536 + 100);
        disk.resize(3 * 65536);
        byte[] back = disk.read(0, 3 * 65536);
        assertThat(Arrays.copyOfRange(back, 0, 65536 + 100)).containsOnly(1);
        assertThat(Arrays.copyOfRange(back, 65536 + 100, back.length)).containsOnly(0);
    }

    @Test
    void accessesOutsideTheDiskAreRefusedAndFlushesCounted() {
        MemoryBackend disk = new MemoryBackend(4096);
        assertThatThrownBy(() -> disk.read(4000, new byte[200], 0, 200))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> disk.writeZeroes(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        disk.flush();
        disk.flush();
        assertThat(disk.flushCount()).isEqualTo(2);
    }
}
