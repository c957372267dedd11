package org.virtiotck.tck.driver;

import java.time.Duration;

/** Bounds of every wait the harness makes; {@code -Dvirtio.timeout.ms} scales them for slow targets. */
public final class Timeouts {
    private Timeouts() {}

    private static final long BASE_MS = Long.getLong("virtio.timeout.ms", 5_000L);
    /**
     * {@code -Dvirtio.quiet.ms} sets the quiet period alone, for a target known to act synchronously (the in-process
     * reference device completes inside the notify write, so whatever must not happen has not happened once the
     * write returns): {@code bench/mutation} runs every test of every mutant and spends most of its time watching.
     */
    private static final long QUIET_MS = Long.getLong("virtio.quiet.ms", -1L);

    /** How long a request may take to complete. */
    public static Duration completion() {
        return Duration.ofMillis(BASE_MS);
    }

    /** How long to watch for something that must NOT happen (an interrupt, a used entry) before concluding it did not. */
    public static Duration quietPeriod() {
        return Duration.ofMillis(QUIET_MS > 0 ? QUIET_MS : Math.max(20, BASE_MS / 50));
    }

    /** How long a device may take to finish a reset or a queue reset. */
    public static Duration reset() {
        return Duration.ofMillis(BASE_MS);
    }
}
