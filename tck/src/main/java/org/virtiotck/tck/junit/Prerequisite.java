package org.virtiotck.tck.junit;

import java.util.EnumSet;
import java.util.Set;

/**
 * Something most tests need from a device before they can say anything about the requirement they check. The
 * smoke stage ({@link SmokeStage}) measures each one once per run, with bounded waits; a test that
 * {@link Requires} a prerequisite that failed is not run into a timeout but reported BLOCKED, naming the
 * prerequisite and its own failure. Each prerequisite implies the ones it is built on ({@link #closure()}).
 */
public enum Prerequisite {
    /** MagicValue, Version and DeviceID identify a virtio-mmio block device. */
    IDENTIFIES("the device identifies itself"),
    /** Reset, ACKNOWLEDGE, DRIVER, a feature choice and FEATURES_OK (modern) are accepted. */
    FEATURES_NEGOTIATE("features negotiate", IDENTIFIES),
    /** Request queue 0 exists and can be set up and enabled. */
    QUEUE_SETUP("a queue can be set up", FEATURES_NEGOTIATE),
    /** After DRIVER_OK, one well-formed READ is used by the device within the completion bound. */
    REQUEST_COMPLETES("one request completes", QUEUE_SETUP),
    /** A used buffer with avail flags 0 and no EVENT_IDX shows as a used-buffer interrupt. */
    INTERRUPTS_ARRIVE("interrupts arrive", REQUEST_COMPLETES),
    /** Writing 0 to Status resets the device, and after a re-initialization a request completes again. */
    RESET_WORKS("reset works", REQUEST_COMPLETES);

    private final String description;
    private final Prerequisite[] builtOn;

    Prerequisite(String description, Prerequisite... builtOn) {
        this.description = description;
        this.builtOn = builtOn;
    }

    /** What holds when this prerequisite holds, in words. */
    public String description() {
        return description;
    }

    /** This prerequisite and every one it is built on. */
    public Set<Prerequisite> closure() {
        Set<Prerequisite> all = EnumSet.of(this);
        for (Prerequisite p : builtOn) {
            all.addAll(p.closure());
        }
        return all;
    }
}
