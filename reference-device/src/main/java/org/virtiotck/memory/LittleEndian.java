package org.virtiotck.memory;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The layouts of VirtIO's little-endian fields in a {@link java.lang.foreign.MemorySegment}, at any alignment. */
public final class LittleEndian {
    public static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {
    }
}
