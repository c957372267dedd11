package org.virtiotck.tck.spi;

/** A target URI that cannot be understood: an unknown scheme, option or malformed value. */
public final class TargetUriException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TargetUriException(String message) {
        super(message);
    }
}
