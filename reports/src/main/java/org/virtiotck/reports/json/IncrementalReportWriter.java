package org.virtiotck.reports.json;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.TestOutcome;

/**
 * Keeps {@code report.json} current during a run: every added outcome or driver violation rewrites the whole
 * report atomically, so a run that is killed (or a target that takes the host down) still leaves a valid report
 * of everything finished so far, with {@code finishedAt} null. A few hundred outcomes make a file of some hundred
 * kilobytes, so rewriting it each time is cheaper than the tests themselves. Thread-safe.
 */
public final class IncrementalReportWriter implements AutoCloseable {

    private final Path file;
    private final RequirementRegistry registry;
    private final RunReport.Tool tool;
    private final RunReport.Target target;
    private final String seed;
    private final Clock clock;
    private final Instant startedAt;
    private final List<TestOutcome> outcomes = new ArrayList<>();
    private final List<String> driverViolations = new ArrayList<>();
    private RunReport finished;

    private IncrementalReportWriter(Path file, RequirementRegistry registry, RunReport.Tool tool,
                                    RunReport.Target target, String seed, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tool = Objects.requireNonNull(tool, "tool");
        this.target = Objects.requireNonNull(target, "target");
        this.seed = seed;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.instant();
    }

    /** Starts a run now and writes the (empty) report at once, so a bad output path fails before any test. */
    public static IncrementalReportWriter start(Path file, RequirementRegistry registry, RunReport.Tool tool,
                                                RunReport.Target target, String seed) throws IOException {
        return start(file, registry, tool, target, seed, Clock.systemUTC());
    }

    public static IncrementalReportWriter start(Path file, RequirementRegistry registry, RunReport.Tool tool,
                                                RunReport.Target target, String seed, Clock clock)
            throws IOException {
        var writer = new IncrementalReportWriter(file, registry, tool, target, seed, clock);
        writer.snapshot(null).write(file);
        return writer;
    }

    public synchronized void add(TestOutcome outcome) throws IOException {
        checkOpen();
        outcomes.add(Objects.requireNonNull(outcome, "outcome"));
        snapshot(null).write(file);
    }

    public synchronized void addDriverViolation(String violation) throws IOException {
        checkOpen();
        driverViolations.add(Objects.requireNonNull(violation, "violation"));
        snapshot(null).write(file);
    }

    /** The report as it stands, unfinished unless {@link #finish()} was called. */
    public synchronized RunReport current() {
        return finished != null ? finished : snapshot(null);
    }

    /** Stamps {@code finishedAt}, writes the final report and refuses further additions. Idempotent. */
    public synchronized RunReport finish() throws IOException {
        if (finished == null) {
            RunReport report = snapshot(clock.instant());
            report.write(file);
            finished = report;
        }
        return finished;
    }

    /** Same as {@link #finish()}. */
    @Override
    public void close() throws IOException {
        finish();
    }

    public Path file() {
        return file;
    }

    private RunReport snapshot(Instant finishedAt) {
        return RunReport.of(registry, tool, target, startedAt, finishedAt, seed, outcomes, driverViolations);
    }

    private void checkOpen() {
        if (finished != null) {
            throw new IllegalStateException("report " + file + " is already finished");
        }
    }
}
