package org.virtiotck.tck.hostile;

/**
 * What a device did with hostile input, as the harness can see it from the driver side. A case's
 * {@link AcceptableResponses} lists the reactions that conform; anything else is a FAIL.
 */
public enum Reaction {
    /** Used the chain; status byte VIRTIO_BLK_S_OK. */
    COMPLETED_OK("used the chain with status OK"),
    /** Used the chain; status byte VIRTIO_BLK_S_IOERR. */
    COMPLETED_IOERR("used the chain with status IOERR"),
    /** Used the chain; status byte VIRTIO_BLK_S_UNSUPP. */
    COMPLETED_UNSUPP("used the chain with status UNSUPP"),
    /** Used the chain, but the status byte holds none of OK/IOERR/UNSUPP (or was never written). */
    COMPLETED_BAD_STATUS("used the chain without a valid status byte"),
    /** Gave a chain that has no status byte back through the used ring (it could not report a status). */
    RETURNED_WITHOUT_STATUS("gave the status-less chain back through the used ring"),
    /** Left the chain unused and set DEVICE_NEEDS_RESET, with a configuration-change interrupt. */
    NEEDS_RESET_WITH_CONFIG_IRQ("set DEVICE_NEEDS_RESET and raised a configuration-change interrupt"),
    /** Left the chain unused and set DEVICE_NEEDS_RESET, but raised no configuration-change interrupt. */
    NEEDS_RESET_WITHOUT_IRQ("set DEVICE_NEEDS_RESET without a configuration-change interrupt"),
    /**
     * Set DEVICE_NEEDS_RESET while DRIVER_OK was clear (e.g. validating QueueNum when QueueReady is written). No
     * configuration-change interrupt is owed then: status.dev.4 applies only if DRIVER_OK is set.
     */
    NEEDS_RESET_BEFORE_DRIVER_OK("set DEVICE_NEEDS_RESET before DRIVER_OK (no interrupt owed)"),
    /**
     * Left input it must not (or need not) act on alone and kept serving well-formed requests: requests before
     * DRIVER_OK or on a queue that is not ready, register writes it ignored.
     */
    UNCONSUMED_OTHERS_WORK("left the input alone and kept serving well-formed requests"),
    /** Refused an unusable queue configuration: did not touch its rings (QueueReady may read 0). */
    REFUSED_QUEUE("left the unusable queue alone"),
    /** Requests in flight at a (queue) reset were dropped by it and never completed. */
    DROPPED_BY_RESET("dropped the requests in flight at the reset"),
    /** ConfigGeneration changed and a configuration-change interrupt came. */
    CONFIG_CHANGE_SIGNALLED("changed ConfigGeneration and raised a configuration-change interrupt"),
    /** ConfigGeneration changed, but no configuration-change interrupt came. */
    CONFIG_CHANGE_WITHOUT_IRQ("changed ConfigGeneration without a configuration-change interrupt"),
    /** The configuration changed under the driver but ConfigGeneration did not. */
    CONFIG_CHANGE_STALE_GENERATION("changed the configuration without changing ConfigGeneration"),
    /** Left the input alone and stopped serving, without DEVICE_NEEDS_RESET: a silent wedge. */
    STOPPED_SILENTLY("stopped serving without DEVICE_NEEDS_RESET");

    private final String description;

    Reaction(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
