package org.virtiotck.spec;

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

    public static String name(int bit) {
        return switch (bit) {
            case BLK_BARRIER -> "VIRTIO_BLK_F_BARRIER";
            case BLK_SIZE_MAX -> "VIRTIO_BLK_F_SIZE_MAX";
            case BLK_SEG_MAX -> "VIRTIO_BLK_F_SEG_MAX";
            case BLK_GEOMETRY -> "VIRTIO_BLK_F_GEOMETRY";
            case BLK_RO -> "VIRTIO_BLK_F_RO";
            case BLK_BLK_SIZE -> "VIRTIO_BLK_F_BLK_SIZE";
            case BLK_SCSI -> "VIRTIO_BLK_F_SCSI";
            case BLK_FLUSH -> "VIRTIO_BLK_F_FLUSH";
            case BLK_TOPOLOGY -> "VIRTIO_BLK_F_TOPOLOGY";
            case BLK_CONFIG_WCE -> "VIRTIO_BLK_F_CONFIG_WCE";
            case BLK_MQ -> "VIRTIO_BLK_F_MQ";
            case BLK_DISCARD -> "VIRTIO_BLK_F_DISCARD";
            case BLK_WRITE_ZEROES -> "VIRTIO_BLK_F_WRITE_ZEROES";
            case BLK_LIFETIME -> "VIRTIO_BLK_F_LIFETIME";
            case BLK_SECURE_ERASE -> "VIRTIO_BLK_F_SECURE_ERASE";
            case BLK_ZONED -> "VIRTIO_BLK_F_ZONED";
            case NOTIFY_ON_EMPTY -> "VIRTIO_F_NOTIFY_ON_EMPTY";
            case ANY_LAYOUT -> "VIRTIO_F_ANY_LAYOUT";
            case INDIRECT_DESC -> "VIRTIO_F_INDIRECT_DESC";
            case EVENT_IDX -> "VIRTIO_F_EVENT_IDX";
            case UNUSED_30 -> "UNUSED(30)";
            case VERSION_1 -> "VIRTIO_F_VERSION_1";
            case ACCESS_PLATFORM -> "VIRTIO_F_ACCESS_PLATFORM";
            case RING_PACKED -> "VIRTIO_F_RING_PACKED";
            case IN_ORDER -> "VIRTIO_F_IN_ORDER";
            case ORDER_PLATFORM -> "VIRTIO_F_ORDER_PLATFORM";
            case SR_IOV -> "VIRTIO_F_SR_IOV";
            case NOTIFICATION_DATA -> "VIRTIO_F_NOTIFICATION_DATA";
            case NOTIF_CONFIG_DATA -> "VIRTIO_F_NOTIF_CONFIG_DATA";
            case RING_RESET -> "VIRTIO_F_RING_RESET";
            case ADMIN_VQ -> "VIRTIO_F_ADMIN_VQ";
            default -> "bit " + bit;
        };
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
