package org.virtiotck.tck.hostile;

/**
 * What a device must never do, whatever the input: the oracles of {@link HostileRun} look for these after every case.
 * A harm always fails the case, even when the reaction itself is acceptable.
 */
public enum Harm {
    /** Guest memory outside the writable buffers and the used ring changed (canary check). */
    MEMORY_CORRUPTION(Rank.CRITICAL, "wrote guest memory outside the device-writable buffers and the used ring"),
    /** Disk bytes outside the ranges the case may touch changed. */
    DISK_CORRUPTION(Rank.CRITICAL, "changed disk bytes outside the request's range"),
    /** The target process died or threw (reported as CRASH through {@code TargetFault}). */
    CRASH(Rank.HIGH, "crashed"),
    /** A call or a completion did not come back in time (reported as HANG). */
    HANG(Rank.HIGH, "hung"),
    /** One chain came back through the used ring more than once, or more buffers than were made available. */
    DOUBLE_PROCESSING(Rank.BY_REQUIREMENT, "processed a chain more than once"),
    /** A chain was skipped: later chains came back, this one never did (its descriptors are lost). */
    LEAKED_SLOT(Rank.BY_REQUIREMENT, "skipped a chain without giving it back (leaked ring slot)"),
    /** A used element named a chain the driver never made available. */
    BOGUS_USED_ELEMENT(Rank.BY_REQUIREMENT, "published a used element for a chain that was not available"),
    /** After Status (or QueueReset) read 0, the device wrote a ring or raised an interrupt. */
    RING_TOUCHED_AFTER_RESET(Rank.BY_REQUIREMENT, "touched the rings or interrupted after the reset"),
    /** The device stopped serving without DEVICE_NEEDS_RESET (modern transport). */
    WEDGED_WITHOUT_NEEDS_RESET(Rank.HIGH, "stopped serving without setting DEVICE_NEEDS_RESET"),
    /** Reset plus a careful re-initialization did not bring the device back. */
    NOT_RECOVERED_BY_RESET(Rank.HIGH, "did not work again after a reset and careful re-initialization");

    /** How a failure with this harm ranks. */
    private enum Rank {
        /** CRITICAL severity, whatever the requirement. */
        CRITICAL,
        /** HIGH severity, whatever the requirement. */
        HIGH,
        /** By the levels of the requirements the case names. */
        BY_REQUIREMENT
    }

    private final Rank rank;
    private final String description;

    Harm(Rank rank, String description) {
        this.rank = rank;
        this.description = description;
    }

    /** Memory or disk corruption: CRITICAL severity. */
    public boolean critical() {
        return rank == Rank.CRITICAL;
    }

    /** Crash, hang, or a wedge: HIGH severity. */
    public boolean high() {
        return rank == Rank.HIGH;
    }

    public String description() {
        return description;
    }
}
