package org.virtiotck.tck.spi;

/**
 * Opens targets of one URI scheme. Implementations are found with {@link java.util.ServiceLoader}
 * (META-INF/services/org.virtiotck.tck.spi.TargetProvider).
 */
public interface TargetProvider {

    /** The URI scheme this provider answers, e.g. "reference" or "qemu". */
    String scheme();

    /** One line describing the URI syntax and options, for {@code list} and error messages. */
    String usage();

    /**
     * Opens a target.
     *
     * @throws TargetUriException when the URI's options are malformed or unknown
     * @throws TargetFault        when the target cannot be started
     */
    Target open(TargetUri uri);
}
