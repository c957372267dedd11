package org.virtiotck.tck.driver;

/** A mistake or limit of the harness itself (out of guest RAM, bad test setup); never the target's fault. */
public final class HarnessError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HarnessError(String message) {
        super(message);
    }
}
