package org.virtiotck.tck.driver;

import static org.virtiotck.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.spec.DeviceStatus.DRIVER_OK;

import org.virtiotck.spec.DeviceStatus;

/**
 * What the harness saw when a request was not completed while the device kept answering: whether the device set
 * DEVICE_NEEDS_RESET (and how soon), Status, the avail and used idx, the InterruptStatus bits seen and the line.
 * An assertion failure, so a FAIL of the requirement the waiting test checks.
 */
public class NotCompleted extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final boolean needsReset;
    private final boolean driverOk;

    /** A bare description, for waits the caller runs itself; counts as a wedge without DEVICE_NEEDS_RESET. */
    public NotCompleted(String message) {
        super(message);
        this.needsReset = false;
        this.driverOk = true;
    }

    NotCompleted(int queue, long millis, int status, int availIdx, int usedIdx, int isrSeen, String line) {
        super(describe(queue, millis, status, availIdx, usedIdx, isrSeen, line));
        this.needsReset = (status & DEVICE_NEEDS_RESET) != 0;
        this.driverOk = (status & DRIVER_OK) != 0;
    }

    private static String describe(int queue, long millis, int status, int availIdx, int usedIdx, int isrSeen,
                                   String line) {
        boolean nr = (status & DEVICE_NEEDS_RESET) != 0;
        String what = nr ? "queue " + queue + ": the device entered DEVICE_NEEDS_RESET " + (millis < 50
                ? "at once" : "after " + millis + " ms") + " instead of completing the request"
                : "queue " + queue + ": no used buffer within " + millis + " ms while the device kept answering"
                + " (DEVICE_NEEDS_RESET not set)";
        return what + "; Status 0x" + Integer.toHexString(status) + " (" + DeviceStatus.describe(status)
                + "), avail idx " + availIdx + ", used idx " + usedIdx + ", InterruptStatus bits seen 0x"
                + Integer.toHexString(isrSeen) + ", " + line;
    }

    /** Whether the device showed DEVICE_NEEDS_RESET instead of completing. */
    public boolean needsReset() {
        return needsReset;
    }

    /** Whether DRIVER_OK was set when the device gave up (status.dev.4 then asks for a config interrupt). */
    public boolean driverOk() {
        return driverOk;
    }
}
