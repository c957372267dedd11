package org.virtiotck.device;

import static org.virtiotck.spec.MmioRegister.CONFIG;

import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.MmioRegister;

/**
 * The words the driver-rule checker puts in its messages for a register offset and a status value, remembered for
 * the control registers and for one-byte status values: the checker words a message at every access it records,
 * and the fuzzer records many. Both are pure functions of their argument, so threads racing to fill a slot store
 * equal strings.
 */
final class RuleWords {

    private static final String[] REGISTERS = new String[CONFIG];
    private static final String[] STATUS = new String[256];

    private RuleWords() {
    }

    /** A register's name and offset, e.g. {@code QueueNotify (0x50)}. */
    static String register(long offset) {
        if (offset < 0 || offset >= CONFIG) {
            return words(offset);
        }
        String w = REGISTERS[(int) offset];
        if (w == null) {
            w = words(offset);
            REGISTERS[(int) offset] = w;
        }
        return w;
    }

    private static String words(long offset) {
        return MmioRegister.name(offset) + " (0x" + Long.toHexString(offset) + ")";
    }

    /** {@link DeviceStatus#describe} of a status value. */
    static String status(int status) {
        if ((status & ~0xff) != 0) {
            return DeviceStatus.describe(status);
        }
        String w = STATUS[status];
        if (w == null) {
            w = DeviceStatus.describe(status);
            STATUS[status] = w;
        }
        return w;
    }
}
