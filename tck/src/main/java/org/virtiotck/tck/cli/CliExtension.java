package org.virtiotck.tck.cli;

import picocli.CommandLine;

/**
 * A subcommand another module adds to {@code virtio-tck} (the fuzzer's {@code fuzz}), found with
 * {@link java.util.ServiceLoader} so that this module need not depend on it: list the implementation in
 * {@code META-INF/services/org.virtiotck.tck.cli.CliExtension}.
 */
public interface CliExtension {
    /** The subcommand's name on the command line. */
    String name();

    /** A fresh picocli model of the subcommand (its own subcommands included). */
    CommandLine command();
}
