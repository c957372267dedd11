package org.virtiotck.spec;

/** Bits of the device status field (VirtIO §2.1). */
public final class DeviceStatus {
    private DeviceStatus() {}

    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    /** VirtIO 1.4 only (VIRTIO_F_SUSPEND); not used by this kit's devices. */
    public static final int SUSPEND = 16;
    public static final int DEVICE_NEEDS_RESET = 64;
    public static final int FAILED = 128;

    public static String describe(int status) {
        if (status == 0) {
            return "0 (reset)";
        }
        StringBuilder b = new StringBuilder("0x").append(Integer.toHexString(status)).append(" [");
        String sep = "";
        int[] bits = {ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK, SUSPEND, DEVICE_NEEDS_RESET, FAILED};
        String[] names = {"ACKNOWLEDGE", "DRIVER", "FEATURES_OK", "DRIVER_OK", "SUSPEND", "DEVICE_NEEDS_RESET", "FAILED"};
        int rest = status;
        for (int i = 0; i < bits.length; i++) {
            if ((status & bits[i]) != 0) {
                b.append(sep).append(names[i]);
                sep = "|";
                rest &= ~bits[i];
            }
        }
        if (rest != 0) {
            b.append(sep).append("unknown 0x").append(Integer.toHexString(rest));
        }
        return b.append(']').toString();
    }
}
