package org.virtiotck.tck.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.virtiotck.reports.compare.Comparison;
import org.virtiotck.reports.compare.ComparisonTextRenderer;
import org.virtiotck.reports.compare.ReportComparison;
import org.virtiotck.reports.json.RunReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Commands over written reports. */
@Command(name = "reports", mixinStandardHelpOptions = true, description = "Work with run reports.",
        subcommands = ReportsCommand.Compare.class)
final class ReportsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: compare");
    }

    /** The "no regressions" gate: exit 1 when NEW fails a test OLD did not fail. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Compare two run reports: new failures, fixes, coverage change. Exit 1 on regressions.")
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", description = "the baseline run-report.json")
        Path oldReport;

        @Parameters(index = "1", description = "the new run-report.json")
        Path newReport;

        @Override
        public Integer call() throws IOException {
            Comparison c = ReportComparison.compare(RunReport.read(oldReport), RunReport.read(newReport));
            System.out.print(ComparisonTextRenderer.render(c));
            return c.hasRegressions() ? Main.NOT_CERTIFIED : Main.CERTIFIED;
        }
    }
}
