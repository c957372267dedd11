package org.virtiotck.device;

import static org.virtiotck.spec.MmioRegister.*;

/** Which way the driver may access a control register of the modern or the legacy layout (§4.2.2, §4.2.4). */
enum RegisterDirection {
    R, W, RW, NONE;

    /** Control registers: the 32-bit words below the configuration space. */
    private static final int WORDS = CONFIG >>> 2;
    /** {@link #of} for every word-aligned control register offset, modern then legacy (one lookup an access). */
    private static final RegisterDirection[] MODERN = table(false);
    private static final RegisterDirection[] LEGACY = table(true);

    private static RegisterDirection[] table(boolean legacy) {
        RegisterDirection[] t = new RegisterDirection[WORDS];
        for (int w = 0; w < WORDS; w++) {
            t[w] = lookUp(w << 2, legacy);
        }
        return t;
    }

    /** Direction of a control register in the given layout; NONE = not in that layout's table (mmio.drv.1). */
    static RegisterDirection of(int off, boolean legacy) {
        if ((off & 3) == 0 && off >= 0 && off < CONFIG) {
            return (legacy ? LEGACY : MODERN)[off >>> 2];
        }
        return lookUp(off, legacy);
    }

    private static RegisterDirection lookUp(int off, boolean legacy) {
        switch (off) {
            case MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX, INTERRUPT_STATUS:
                return R;
            case DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM, QUEUE_NOTIFY,
                    INTERRUPT_ACK:
                return W;
            case STATUS:
                return RW;
            case GUEST_PAGE_SIZE, QUEUE_ALIGN:
                return legacy ? W : NONE;
            case QUEUE_PFN:
                return legacy ? RW : NONE;
            case QUEUE_READY, QUEUE_RESET:
                return legacy ? NONE : RW;
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                    QUEUE_DEVICE_HIGH, SHM_SEL:
                return legacy ? NONE : W;
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH, CONFIG_GENERATION:
                return legacy ? NONE : R;
            default:
                return NONE;
        }
    }
}
