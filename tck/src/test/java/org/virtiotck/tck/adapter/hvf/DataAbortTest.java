package org.virtiotck.tck.adapter.hvf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Syndrome decoding of data aborts (ESR_EL2 ISS for EC 0x24). */
class DataAbortTest {

    @Test
    void wordLoadIntoW0() {
        DataAbort a = DataAbort.decode(0x93800006L, 0x0a000070L); // ldr w0, [x3]
        assertThat(a).isEqualTo(new DataAbort(0x0a000070L, true, 4, false, 0, false, false));
    }

    @Test
    void byteStoreFromW4() {
        DataAbort a = DataAbort.decode(0x93040046L, 0x0a000100L); // strb w4, [x3]
        assertThat(a.isv()).isTrue();
        assertThat(a.width()).isEqualTo(1);
        assertThat(a.register()).isEqualTo(4);
        assertThat(a.write()).isTrue();
        assertThat(a.ipa()).isEqualTo(0x0a000100L);
    }

    @Test
    void signExtendingHalfwordLoadIntoX1() {
        DataAbort a = DataAbort.decode(0x93618006L, 0x0a000102L); // ldrsh x1, [x3]
        assertThat(a.width()).isEqualTo(2);
        assertThat(a.signExtend()).isTrue();
        assertThat(a.sixtyFour()).isTrue();
        assertThat(a.register()).isEqualTo(1);
        assertThat(a.loadedValue(0x8001)).isEqualTo(0xffffffffffff8001L);
    }

    @Test
    void doublewordAndTheZeroRegister() {
        DataAbort a = DataAbort.decode(0x93df8046L, 0x0a000100L); // str xzr, [x?]: SAS 3, SRT 31, SF, WnR
        assertThat(a.width()).isEqualTo(8);
        assertThat(a.register()).isEqualTo(31);
        assertThat(a.sixtyFour()).isTrue();
        assertThat(a.write()).isTrue();
    }

    @Test
    void loadsZeroExtendAndThirtyTwoBitRegistersTruncate() {
        DataAbort w = new DataAbort(0, true, 4, true, 0, false, false); // ldrsw-like into W: 32-bit result
        assertThat(w.loadedValue(0x80000000L)).isEqualTo(0x80000000L);
        DataAbort b = new DataAbort(0, true, 1, false, 0, false, false);
        assertThat(b.loadedValue(0x1ffL)).isEqualTo(0xffL);
        assertThat(b.storedValue(0x12345678L)).isEqualTo(0x78L);
        DataAbort sb = new DataAbort(0, true, 1, true, 0, true, false);
        assertThat(sb.loadedValue(0x80)).isEqualTo(-128L);
    }

    @Test
    void noInstructionSyndrome() {
        DataAbort a = DataAbort.decode(0x92000006L, 0x0a000000L);
        assertThat(a.isv()).isFalse();
    }

    @Test
    void encodeAndDecodeAgreeForEveryShape() {
        for (int width : new int[] {1, 2, 4, 8}) {
            for (int reg = 0; reg < 32; reg++) {
                for (boolean write : new boolean[] {false, true}) {
                    boolean sf = width == 8 || reg % 2 == 0;
                    boolean sse = !write && width < 8 && reg % 3 == 0;
                    long esr = DataAbort.encode(width, sse, reg, sf, write);
                    assertThat(DataAbort.exceptionClass(esr)).isEqualTo(DataAbort.EC_DATA_ABORT_LOWER);
                    assertThat(DataAbort.decode(esr, 0x1234)).isEqualTo(
                            new DataAbort(0x1234, true, width, sse, reg, sf, write));
                }
            }
        }
    }

    @Test
    void otherExceptionClassesAreNotDataAborts() {
        long hvc = (long) DataAbort.EC_HVC64 << 26 | 1L << 25;
        assertThat(DataAbort.isDataAbort(hvc)).isFalse();
        assertThatThrownBy(() -> DataAbort.decode(hvc, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
