package org.virtiotck.tck.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.IncrementalReportWriter;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.HarnessError;
import org.virtiotck.tck.hostile.HostileFailure;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * Turns every conformance test execution into a {@link TestOutcome} (verdict, severity, requirement ids,
 * expected/observed, replay command), writes the JSON run report incrementally, and at the end writes and
 * prints the traceability matrix. Registered through the JUnit Platform's ServiceLoader, so it works under
 * Maven Surefire, the IDE and the {@code certify} CLI alike; tests without {@link Verifies} are ignored.
 */
public final class ConformanceListener implements TestExecutionListener {
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final List<TestOutcome> outcomes = new ArrayList<>();
    private RequirementRegistry registry;
    private IncrementalReportWriter writer;
    private boolean any;

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        RunSettings.begin(RunSettings.of(testPlan.getConfigurationParameters()));
        outcomes.clear();
        started.clear();
        writer = null;
        any = false;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.isTest()) {
            started.put(id.getUniqueId(), System.nanoTime());
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            record(id, Verdict.SKIP, null, reason, 0);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        Long t0 = started.remove(id.getUniqueId());
        long millis = t0 == null ? 0 : (System.nanoTime() - t0) / 1_000_000;
        Throwable error = result.getThrowable().orElse(null);
        Throwable waived = TckSession.get().takeWaived(id.getUniqueId());
        if (waived != null && error == null) {
            error = waived;
        }
        Throwable finalError = error;
        Verdict verdict = switch (result.getStatus()) {
            case SUCCESSFUL -> waived == null ? Verdict.PASS : classify(finalError);
            case ABORTED -> error instanceof Blocked ? Verdict.BLOCKED : Verdict.SKIP;
            case FAILED -> classify(error);
        };
        record(id, verdict, error, error == null ? "" : String.valueOf(error.getMessage()), millis);
    }

    /** The id reports and waiver files use for a test: {@code fully.qualified.Class#method}. */
    static String testId(Class<?> type, Method method) {
        return type.getName() + "#" + method.getName();
    }

    /**
     * Which verdict a test's exception means. HANG only when the target stopped answering (a {@link TargetFault}
     * of kind HUNG); a request not completed while the device answers ({@link CompletionTimeout}) is an
     * assertion failure, so a FAIL of the requirement the test checks.
     */
    static Verdict classify(Throwable t) {
        if (t instanceof TargetFault f) {
            return f.kind() == TargetFault.Kind.HUNG ? Verdict.HANG : Verdict.CRASH;
        }
        if (t instanceof Blocked) {
            return Verdict.BLOCKED;
        }
        if (t instanceof TestAbortedException) {
            return Verdict.SKIP;
        }
        if (t instanceof HarnessError) {
            return Verdict.ERROR;
        }
        if (t instanceof AssertionError) {
            return Verdict.FAIL;
        }
        return Verdict.ERROR;
    }

    private synchronized void record(TestIdentifier id, Verdict verdict, Throwable error, String message,
                                     long millis) {
        if (!(id.getSource().orElse(null) instanceof MethodSource source)) {
            return;
        }
        Method method = source.getJavaMethod();
        Class<?> type = source.getJavaClass();
        List<String> ids = TckSession.get().takeRuntimeIds(id.getUniqueId());
        if (ids == null) {
            Verifies verifies = method.getAnnotation(Verifies.class);
            if (verifies == null) {
                verifies = type.getAnnotation(Verifies.class);
            }
            ids = verifies == null ? null : Arrays.asList(verifies.value());
        }
        VirtioSuite suite = type.getAnnotation(VirtioSuite.class);
        if (ids == null || suite == null) {
            return;
        }
        any = true;
        String expected = "";
        String observed = "";
        boolean corruption = false;
        if (error instanceof ConformanceFailure cf) {
            expected = cf.expected();
            observed = cf.observed();
            corruption = cf.corruption();
        } else if (error instanceof AssertionFailedError afe && afe.isExpectedDefined()) {
            expected = String.valueOf(afe.getExpected().getStringRepresentation());
            observed = String.valueOf(afe.getActual().getStringRepresentation());
        }
        String testId = testId(type, method);
        String uri = TckSession.get().uri();
        String replay = verdict == Verdict.PASS || verdict == Verdict.SKIP ? null
                : "./virtio-tck certify --target '" + uri + "' --out build/replay --test "
                + type.getSimpleName() + "#" + method.getName();
        TestOutcome outcome;
        if (verdict == Verdict.BLOCKED && error instanceof Blocked b) {
            outcome = TestOutcome.blocked(testId, id.getDisplayName(), suite.value(), ids, b.blocker(), b.why(), uri);
        } else {
            outcome = new TestOutcome(testId, id.getDisplayName(), suite.value(), ids, verdict,
                    severity(verdict, ids, corruption, error), expected, observed, message == null ? "" : message,
                    null, replay, millis, uri);
        }
        outcome = TckSession.get().waivers().apply(outcome);
        outcomes.add(outcome);
        try {
            writer().add(outcome);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run report", e);
        }
    }

    private Severity severity(Verdict verdict, List<String> ids, boolean corruption, Throwable error) {
        return switch (verdict) {
            case PASS, SKIP, WAIVED, ERROR, BLOCKED -> Severity.NONE;
            case CRASH, HANG -> Severity.HIGH;
            case FAIL -> {
                if (corruption) {
                    yield Severity.CRITICAL;
                }
                if (error instanceof HostileFailure hf && hf.high()
                        || error instanceof org.virtiotck.tck.driver.NotCompleted nc && !nc.needsReset()
                        || error instanceof PrerequisiteFailure pf && pf.wedged()) {
                    yield Severity.HIGH; // a wedge without DEVICE_NEEDS_RESET: the guest's disk is stuck
                }
                if (error instanceof HostileFailure hf && hf.robustness()) {
                    yield Severity.LOW; // followed a structure no device MUST forbids, but dangerous
                }
                boolean must = ids.stream().map(i -> registry().find(i)).flatMap(java.util.Optional::stream)
                        .map(Requirement::level).anyMatch(l -> l.name().startsWith("MUST"));
                yield must ? Severity.MEDIUM : Severity.LOW;
            }
        };
    }

    private RequirementRegistry registry() {
        if (registry == null) {
            registry = RequirementRegistry.load();
        }
        return registry;
    }

    private IncrementalReportWriter writer() throws IOException {
        if (writer == null) {
            TargetInfo info = TckSession.get().info();
            RunReport.Target target = new RunReport.Target(TckSession.get().uri(),
                    info == null ? TckSession.get().uri() : info.name(), info == null ? "unknown" : info.version());
            writer = IncrementalReportWriter.start(ReportLocation.dir().resolve("run-report.json"), registry(),
                    new RunReport.Tool("virtio-tck", ReportLocation.toolVersion()), target, null);
        }
        return writer;
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            if (!any) {
                return;
            }
            for (String v : TckSession.get().harnessViolations()) {
                writer().addDriverViolation(v);
            }
            RunReport report = writer().finish();
            RunSummary.write(ReportLocation.dir(), registry(), report, outcomes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reports", e);
        } finally {
            RunSettings.end();
        }
    }

    /** Where this run's reports go. */
    static final class ReportLocation {
        private ReportLocation() {}

        static Path dir() {
            Optional<Path> configured = RunSettings.current().reportsDir();
            if (configured.isPresent()) {
                return configured.get();
            }
            String label = TckSession.get().uri().replaceAll("[^A-Za-z0-9._-]+", "_");
            return Path.of("target", "tck-reports", label);
        }

        static String toolVersion() {
            String v = ConformanceListener.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
