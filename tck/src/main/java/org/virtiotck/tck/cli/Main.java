package org.virtiotck.tck.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code virtio-tck}: certify a virtio-mmio block device, list what the kit knows, explain a requirement, compare
 * reports, serve a device over qtest, and (when the fuzzer is on the class path, as in the runnable jar) fuzz.
 * This is the kit's one entry point; other modules add subcommands through {@link CliExtension}.
 *
 * <p>Exit codes: 0 certified (or the command succeeded), 1 not certified, 2 usage or environment error.
 */
@Command(name = "virtio-tck", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Conformance test kit for VirtIO-MMIO block devices.",
        subcommands = {CertifyCommand.class, ListCommand.class, ExplainCommand.class, MatrixCommand.class,
                ReportsCommand.class, org.virtiotck.tck.serve.ServeCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:certified / success", "1:not certified", "2:usage or environment error"})
public final class Main implements Runnable {
    public static final int CERTIFIED = 0;
    public static final int NOT_CERTIFIED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (CliExtension extension : ServiceLoader.load(CliExtension.class)) {
            cl.addSubcommand(extension.name(), extension.command());
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("virtio-tck: " + ex.getMessage().lines().findFirst().orElse("")
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            command.getErr().println("virtio-tck: " + oneLine(ex));
            return USAGE;
        });
        return cl.execute(args);
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).lines().findFirst().orElse("");
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: " + String.join(", ", spec.subcommands().keySet()));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"virtio-tck " + (v == null ? "dev" : v)};
        }
    }
}
