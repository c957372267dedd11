package org.virtiotck.spec;

/**
 * Register offsets of the virtio-mmio transport (VirtIO 1.2+ §4.2.2 modern layout, §4.2.4 legacy layout).
 * Offsets are relative to the transport base. Names follow the 1.2 text; 1.3 renamed QueueNum/QueueNumMax
 * to QueueSize/QueueSizeMax without changing offsets.
 */
public final class MmioRegister {
    private MmioRegister() {}

    /** Reads 0x74726976, "virt" in little-endian ASCII (mmio.dev.1). */
    public static final int MAGIC_VALUE = 0x000;
    /** 2 for the modern layout, 1 for legacy (mmio.dev.2, mmio-legacy.dev.1). */
    public static final int VERSION = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR_ID = 0x00c;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    /** Legacy only. */
    public static final int GUEST_PAGE_SIZE = 0x028;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_NUM_MAX = 0x034;
    public static final int QUEUE_NUM = 0x038;
    /** Legacy only. */
    public static final int QUEUE_ALIGN = 0x03c;
    /** Legacy only. */
    public static final int QUEUE_PFN = 0x040;
    /** Modern only. */
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0a0;
    public static final int QUEUE_DEVICE_HIGH = 0x0a4;
    public static final int SHM_SEL = 0x0ac;
    public static final int SHM_LEN_LOW = 0x0b0;
    public static final int SHM_LEN_HIGH = 0x0b4;
    public static final int SHM_BASE_LOW = 0x0b8;
    public static final int SHM_BASE_HIGH = 0x0bc;
    /** Modern only, with VIRTIO_F_RING_RESET. */
    public static final int QUEUE_RESET = 0x0c0;
    /** Modern only. */
    public static final int CONFIG_GENERATION = 0x0fc;
    /** Device-specific configuration space starts here (mmio-desc.dev.10). */
    public static final int CONFIG = 0x100;

    /** Size of the register window a transport occupies (QEMU and Linux use 0x200). */
    public static final int WINDOW_SIZE = 0x200;

    public static final int MAGIC = 0x74726976;
    public static final int VERSION_MODERN = 2;
    public static final int VERSION_LEGACY = 1;

    /** InterruptStatus bit 0: the device used a buffer in at least one active virtqueue. */
    public static final int INT_USED_BUFFER = 1;
    /** InterruptStatus bit 1: the device configuration changed. */
    public static final int INT_CONFIG_CHANGE = 2;

    /** A readable name for an offset, for messages and logs. */
    public static String name(long offset) {
        if (offset >= CONFIG) {
            return "Config+0x" + Long.toHexString(offset - CONFIG);
        }
        return switch ((int) offset) {
            case MAGIC_VALUE -> "MagicValue";
            case VERSION -> "Version";
            case DEVICE_ID -> "DeviceID";
            case VENDOR_ID -> "VendorID";
            case DEVICE_FEATURES -> "DeviceFeatures";
            case DEVICE_FEATURES_SEL -> "DeviceFeaturesSel";
            case DRIVER_FEATURES -> "DriverFeatures";
            case DRIVER_FEATURES_SEL -> "DriverFeaturesSel";
            case GUEST_PAGE_SIZE -> "GuestPageSize";
            case QUEUE_SEL -> "QueueSel";
            case QUEUE_NUM_MAX -> "QueueNumMax";
            case QUEUE_NUM -> "QueueNum";
            case QUEUE_ALIGN -> "QueueAlign";
            case QUEUE_PFN -> "QueuePFN";
            case QUEUE_READY -> "QueueReady";
            case QUEUE_NOTIFY -> "QueueNotify";
            case INTERRUPT_STATUS -> "InterruptStatus";
            case INTERRUPT_ACK -> "InterruptACK";
            case STATUS -> "Status";
            case QUEUE_DESC_LOW -> "QueueDescLow";
            case QUEUE_DESC_HIGH -> "QueueDescHigh";
            case QUEUE_DRIVER_LOW -> "QueueDriverLow";
            case QUEUE_DRIVER_HIGH -> "QueueDriverHigh";
            case QUEUE_DEVICE_LOW -> "QueueDeviceLow";
            case QUEUE_DEVICE_HIGH -> "QueueDeviceHigh";
            case SHM_SEL -> "SHMSel";
            case SHM_LEN_LOW -> "SHMLenLow";
            case SHM_LEN_HIGH -> "SHMLenHigh";
            case SHM_BASE_LOW -> "SHMBaseLow";
            case SHM_BASE_HIGH -> "SHMBaseHigh";
            case QUEUE_RESET -> "QueueReset";
            case CONFIG_GENERATION -> "ConfigGeneration";
            default -> "0x" + Long.toHexString(offset);
        };
    }
}
