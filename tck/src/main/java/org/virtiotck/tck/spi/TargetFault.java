package org.virtiotck.tck.spi;

/**
 * The target misbehaved at the transport level: it died, hung, or answered something that is not an answer.
 * This is a finding about the target, never a harness error; suites turn it into a CRASH or HANG verdict.
 */
public class TargetFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The target process or peer is gone. */
        CRASHED,
        /** A call did not return within its bound. */
        HUNG,
        /** The target answered with something the adapter cannot understand. */
        PROTOCOL
    }

    private final Kind kind;

    public TargetFault(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public TargetFault(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String getMessage() {
        return "target " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + super.getMessage();
    }
}
