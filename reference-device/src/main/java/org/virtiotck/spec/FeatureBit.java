package org.virtiotck.spec;

import java.util.HashMap;
import java.util.Map;

/**
 * Feature bit numbers: block-device bits (§5.2.3), legacy block bits (§5.2.3.1) and the reserved,
 * transport-independent bits (§6). Use {@link #mask(int)} to turn a bit number into a 64-bit mask.
 */
public final class FeatureBit {
    private FeatureBit() {}

    // Block device (§5.2.3)
    public static final int BLK_SIZE_MAX = 1;
    public static final int BLK_SEG_MAX = 2;
    public static final int BLK_GEOMETRY = 4;
    public static final int BLK_RO = 5;
    public static final int BLK_BLK_SIZE = 6;
    public static final int BLK_FLUSH = 9;
    public static final int BLK_TOPOLOGY = 10;
    public static final int BLK_CONFIG_WCE = 11;
    public static final int BLK_MQ = 12;
    public static final int BLK_DISCARD = 13;
    public static final int BLK_WRITE_ZEROES = 14;
    public static final int BLK_LIFETIME = 15;
    public static final int BLK_SECURE_ERASE = 16;
    public static final int BLK_ZONED = 17;
    // Legacy-only block bits (§5.2.3.1)
    public static final int BLK_BARRIER = 0;
    public static final int BLK_SCSI = 7;

    // Reserved feature bits (§6)
    public static final int NOTIFY_ON_EMPTY = 24;
    public static final int ANY_LAYOUT = 27;
    public static final int INDIRECT_DESC = 28;
    public static final int EVENT_IDX = 29;
    /** Bit 30, "UNUSED": QEMU's historic probe bit that should never be negotiated. */
    public static final int UNUSED_30 = 30;
    public static final int VERSION_1 = 32;
    public static final int ACCESS_PLATFORM = 33;
    public static final int RING_PACKED = 34;
    public static final int IN_ORDER = 35;
    public static final int ORDER_PLATFORM = 36;
    public static final int SR_IOV = 37;
    public static final int NOTIFICATION_DATA = 38;
    public static final int NOTIF_CONFIG_DATA = 39;
    public static final int RING_RESET = 40;
    public static final int ADMIN_VQ = 41;

    public static long mask(int bit) {
        return 1L << bit;
    }

    public static boolean has(long features, int bit) {
        return (features & mask(bit)) != 0;
    }

    /** VIRTIO_BLK_F_* for the block bits, VIRTIO_F_* for the reserved ones, "UNUSED(30)", or "bit N". */
    public static String name(int bit) {
        return NAMES.getOrDefault(bit, "bit " + bit);
    }

    private static final Map<Integer, String> NAMES = names();

    private static Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        ConstantNames.of(FeatureBit.class, "BLK_").forEach((bit, name) -> names.put(bit, "VIRTIO_BLK_F_" + name));
        ConstantNames.of(FeatureBit.class, name -> !name.startsWith("BLK_") && !name.equals("UNUSED_30"))
                .forEach((bit, name) -> names.put(bit, "VIRTIO_F_" + name));
        names.put(UNUSED_30, "UNUSED(30)");
        return Map.copyOf(names);
    }

    /** Names of every bit set in {@code features}, for messages. */
    public static String describe(long features) {
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < 64; bit++) {
            if (has(features, bit)) {
                if (!b.isEmpty()) {
                    b.append(", ");
                }
                b.append(name(bit));
            }
        }
        return b.isEmpty() ? "none" : b.toString();
    }
}
