package org.virtiotck.tck.spi;

/**
 * The base of a provider that answers one URI scheme: it holds the scheme and the usage line, so a provider
 * writes only its constructor and {@code open}. Both {@link TargetProvider}s and the hosted-device providers of
 * {@code kvm:} and {@code hvf:} extend it.
 */
public abstract class SchemeProvider {
    private final String scheme;
    private final String usage;

    /**
     * @param scheme the URI scheme answered, e.g. "reference"
     * @param usage  one line describing the URI syntax and options, for {@code list} and error messages
     */
    protected SchemeProvider(String scheme, String usage) {
        this.scheme = scheme;
        this.usage = usage;
    }

    /** The URI scheme this provider answers. */
    public final String scheme() {
        return scheme;
    }

    /** One line describing the URI syntax and options. */
    public final String usage() {
        return usage;
    }
}
