package org.virtiotck.tck.spi;

import java.time.Duration;

/** Observes the device's level-triggered interrupt line. */
public interface InterruptObserver {

    /** The current level of the line. */
    boolean asserted();

    /**
     * Waits until the line is asserted or the timeout passes.
     *
     * @return whether the line was asserted
     */
    boolean awaitAsserted(Duration timeout);

    /** How many times the line went from low to high since the target was opened or hard-reset. */
    long risingEdges();
}
