package org.virtiotck.tck.hostile;

/**
 * What a device must never do, whatever the input: the oracles of {@link HostileRun} look for these after every case.
 * A harm always fails the case, even when the reaction itself is acceptable.
 */
public enum Harm {
    /** Guest memory outside the writable buffers and the used ring changed (canary check). */
    MEMORY_CORRUPTION(true, false, "wrote guest memory outside the device-writable buffers and the used ring"),
    /** Disk bytes outside the ranges the case may touch changed. */
    DISK_CORRUPTION(true, false, "changed disk bytes outside the request's range"),
    /** The target process died or threw (reported as CRASH through {@code TargetFault}). */
    CRASH(false, true, "crashed"),
    /** A call or a completion did not come back in time (reported as HANG). */
    HANG(false, true, "hung"),
    /** One chain came back through the used ring more than once, or more buffers than were made available. */
    DOUBLE_PROCESSING(false, false, "processed a chain more than once"),
    /** A chain was skipped: later chains came back, this one never did (its descriptors are lost). */
    LEAKED_SLOT(false, false, "skipped a chain without giving it back (leaked ring slot)"),
    /** A used element named a chain the driver never made available. */
    BOGUS_USED_ELEMENT(false, false, "published a used element for a chain that was not available"),
    /** After Status (or QueueReset) read 0, the device wrote a ring or raised an interrupt. */
    RING_TOUCHED_AFTER_RESET(false, false, "touched the rings or interrupted after the reset"),
    /** The device stopped serving without DEVICE_NEEDS_RESET (modern transport). */
    WEDGED_WITHOUT_NEEDS_RESET(false, true, "stopped serving without setting DEVICE_NEEDS_RESET"),
    /** Reset plus a careful re-initialization did not bring the device back. */
    NOT_RECOVERED_BY_RESET(false, true, "did not work again after a reset and careful re-initialization");

    private final boolean critical;
    private final boolean high;
    private final String description;

    Harm(boolean critical, boolean high, String description) {
        this.critical = critical;
        this.high = high;
        this.description = description;
    }

    /** Memory or disk corruption: CRITICAL severity. */
    public boolean critical() {
        return critical;
    }

    /** Crash, hang, or a wedge: HIGH severity. */
    public boolean high() {
        return high;
    }

    public String description() {
        return description;
    }
}
