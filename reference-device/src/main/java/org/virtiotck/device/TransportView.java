package org.virtiotck.device;

import org.virtiotck.memory.GuestMemory;

/**
 * What {@link DriverRuleChecker} may see of the transport: read-only accessors of the register state before the
 * access being checked is applied. The checker judges the driver through this view and never changes what the
 * device does.
 */
interface TransportView {
    boolean legacy();

    /** The device's offered feature bits. */
    long offered();

    int status();

    int driverFeaturesSel();

    /** Whether a feature bit is in force (fixed at FEATURES_OK; the live driver features on legacy). */
    boolean negotiatedBit(int bit);

    /** Whether the device refused the last FEATURES_OK (features.dev.3). */
    boolean featuresOkRefused();

    int queueCount();

    /** The queue QueueSel selects, or null when it selects none. */
    VirtQueue selectedQueue();

    GuestMemory memory();

    ZonedModel zonedModel();
}
