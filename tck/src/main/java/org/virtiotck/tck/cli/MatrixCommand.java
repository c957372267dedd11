package org.virtiotck.tck.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.matrix.TextMatrixRenderer;
import org.virtiotck.reports.matrix.TraceabilityMatrix;
import org.virtiotck.reports.result.TestOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One traceability matrix over several run reports, e.g. the modern, legacy and read-only runs of the same
 * device: a requirement counts as covered if any run exercised it, and fails if any run failed it.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Print (and optionally write) one traceability matrix over several run reports.")
final class MatrixCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", description = "run-report.json files")
    List<Path> reports;

    @Option(names = "--out", description = "Also write the matrix to this file.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<TestOutcome> all = new ArrayList<>();
        for (Path p : reports) {
            all.addAll(RunReport.read(p).outcomes());
        }
        String text = TextMatrixRenderer.render(TraceabilityMatrix.build(RequirementRegistry.load(), all));
        System.out.print(text);
        if (out != null) {
            AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8));
        }
        return Main.CERTIFIED;
    }
}
