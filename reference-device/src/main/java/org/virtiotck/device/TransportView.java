package org.virtiotck.device;

/**
 * What {@link DriverRuleChecker} may see of the transport's live state: read-only accessors of the registers
 * before the access being checked is applied (what never changes, it takes from the device's configuration). The
 * checker judges the driver through this view and never changes what the device does.
 */
interface TransportView {
    int status();

    int driverFeaturesSel();

    /** Whether a feature bit is in force (fixed at FEATURES_OK; the live driver features on legacy). */
    boolean negotiatedBit(int bit);

    /** Whether the device refused the last FEATURES_OK (features.dev.3). */
    boolean featuresOkRefused();

    /** The queue QueueSel selects, or null when it selects none. */
    VirtQueue selectedQueue();
}
