package org.virtiotck.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.SplitRing;

/**
 * One used-ring element (§2.7.8): le32 id (the head of the chain the device used), le32 len (bytes it wrote).
 * Both are kept as the raw 32-bit fields; {@link #lenUnsigned()} reads len as a count.
 */
public record UsedElem(int id, int len) {
    /** Bytes of one encoded element. */
    public static final int SIZE = SplitRing.USED_ELEM_SIZE;

    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public long lenUnsigned() {
        return Integer.toUnsignedLong(len);
    }

    public static UsedElem decode(byte[] b, int off) {
        return new UsedElem((int) LE32.get(b, off), (int) LE32.get(b, off + 4));
    }

    public void encode(byte[] b, int off) {
        LE32.set(b, off, id);
        LE32.set(b, off + 4, len);
    }

    public static UsedElem read(GuestMemory m, long gpa) {
        return new UsedElem(m.readLe32(gpa), m.readLe32(gpa + 4));
    }

    /** Writes id, then len (the element is published afterwards by the used idx write). */
    public static void write(GuestMemory m, long gpa, int id, int len) {
        m.writeLe32(gpa, id);
        m.writeLe32(gpa + 4, len);
    }
}
