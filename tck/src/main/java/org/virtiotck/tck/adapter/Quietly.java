package org.virtiotck.tck.adapter;

/** Best-effort release: closing what may already be broken, gone or closed must never throw. */
public final class Quietly {
    private Quietly() {
    }

    /** Closes {@code resource}, swallowing what it throws (an interrupt stays pending). */
    public static void close(AutoCloseable resource) {
        try {
            resource.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // nothing more to do: the resource is as released as it gets
        }
    }
}
