package org.virtiotck.fuzz.cli;

import org.virtiotck.tck.cli.CliExtension;
import picocli.CommandLine;

/** Adds {@code fuzz run|replay|minimize|merge} to {@code virtio-tck}. */
public final class FuzzCliExtension implements CliExtension {
    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public CommandLine command() {
        return new CommandLine(new FuzzMain());
    }
}
