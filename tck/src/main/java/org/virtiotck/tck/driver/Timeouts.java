package org.virtiotck.tck.driver;

import java.time.Duration;

/** Bounds of every wait the harness makes; {@code -Dvirtio.timeout.ms} scales them for slow targets. */
public final class Timeouts {
    private Timeouts() {}

    private static final long BASE_MS = Long.getLong("virtio.timeout.ms", 5_000L);

    /** How long a request may take to complete. */
    public static Duration completion() {
        return Duration.ofMillis(BASE_MS);
    }

    /** How long to watch for something that must NOT happen (an interrupt, a used entry) before concluding it did not. */
    public static Duration quietPeriod() {
        return Duration.ofMillis(Math.max(20, BASE_MS / 50));
    }

    /** How long a device may take to finish a reset or a queue reset. */
    public static Duration reset() {
        return Duration.ofMillis(BASE_MS);
    }
}
