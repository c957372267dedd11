package org.virtiotck.fuzz.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian reads of the executor's byte images (the shadow, the after-image). Descriptors are encoded and
 * decoded with the shared split-ring codec, {@link org.virtiotck.queue.Descriptor}.
 */
final class LittleEndian {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }

    /** Little-endian unsigned value of {@code width} bytes at {@code at}. */
    static long le(byte[] mem, int at, int width) {
        switch (width) {
            case 1 -> {
                return mem[at] & 0xff;
            }
            case 2 -> {
                return (short) LE16.get(mem, at) & 0xffff;
            }
            case 4 -> {
                return (int) LE32.get(mem, at) & 0xffffffffL;
            }
            case 8 -> {
                return (long) LE64.get(mem, at);
            }
            default -> {
            }
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (mem[at + i] & 0xff);
        }
        return v;
    }
}
