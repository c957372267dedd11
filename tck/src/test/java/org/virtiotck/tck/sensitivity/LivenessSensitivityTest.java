package org.virtiotck.tck.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.cert.Certification;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.RootCause;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.testkit.SuiteRunner;

/**
 * The verdict model against devices that answer their registers but do not serve requests properly: every suite
 * runs (as {@code certify} does), the smoke stage finds the broken prerequisite with the right id, the tests
 * that need it are BLOCKED, the reports lead with the root cause, and no device that still answers is called a
 * HANG. The wall time of each run is printed at the end (a figure for the record, not an assertion).
 */
class LivenessSensitivityTest {
    private static final String SMOKE = SuiteRunner.SUITES + "SmokeSuite#";
    private static final Observed OBSERVED =
            new Observed("Liveness sensitivity (variant -> wall time, verdicts, failures):", 28);

    private record Run(RunReport report, String console, String html) {
        List<TestOutcome> outcomes() {
            return report.outcomes();
        }

        TestOutcome smoke(String method) {
            return outcomes().stream().filter(o -> o.testId().equals(SMOKE + method)).findFirst().orElseThrow();
        }

        long count(Verdict v) {
            return outcomes().stream().filter(o -> o.verdict() == v).count();
        }
    }

    private static Run certifyAll(String variant, Path dir) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        RunReport report;
        try (PrintStream tee = new PrintStream(new Tee(saved, console), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            report = SuiteRunner.run("broken:" + variant, List.of(SuiteRunner.allSuites()), dir);
        } finally {
            System.setOut(saved);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<Verdict, Long> counts = new TreeMap<>(report.outcomes().stream()
                .collect(Collectors.groupingBy(TestOutcome::verdict, Collectors.counting())));
        String fails = report.outcomes().stream().filter(o -> o.verdict() == Verdict.FAIL)
                .map(o -> o.testId().substring(o.testId().lastIndexOf('.') + 1) + o.requirementIds())
                .collect(Collectors.joining(", "));
        String slowest = report.outcomes().stream()
                .sorted(java.util.Comparator.comparingLong(TestOutcome::durationMillis).reversed()).limit(3)
                .map(o -> o.testId().substring(o.testId().lastIndexOf('.') + 1) + " " + o.durationMillis() + " ms")
                .collect(Collectors.joining(", "));
        OBSERVED.put(variant, String.format("%d ms, %s; FAIL: %s; slowest: %s", ms, counts, fails, slowest));
        String html = Files.readString(dir.resolve("report.html"));
        return new Run(report, console.toString(StandardCharsets.UTF_8), html);
    }

    /** Certifies the broken variant and makes the {@link #commonChecks common checks} with its root cause. */
    private static Run certifyWithRootCause(String variant, String rootCauseTest, Path dir) throws IOException {
        Run run = certifyAll(variant, dir);
        commonChecks(run, rootCauseTest);
        return run;
    }

    /** Every test of {@code suite} in the run is BLOCKED (and there are some). */
    private static void assertAllBlocked(Run run, String suite) {
        assertThat(run.outcomes()).filteredOn(o -> o.testId().contains(suite))
                .isNotEmpty().allMatch(o -> o.verdict() == Verdict.BLOCKED);
    }

    /** What every run against a device that keeps answering must show. */
    private static void commonChecks(Run run, String rootCauseTest) {
        assertThat(run.count(Verdict.HANG)).as("a device that answers its registers is never a HANG").isZero();
        assertThat(run.count(Verdict.BLOCKED)).as("tests needing the broken prerequisite are BLOCKED").isPositive();
        assertThat(run.count(Verdict.PASS)).as("what does not need it still runs").isPositive();
        RequirementRegistry registry = RequirementRegistry.load();
        for (CertificationLevel level : CertificationLevel.values()) {
            assertThat(Certification.evaluate(run.report(), registry, level).certified()).as(level.name()).isFalse();
        }
        RootCause first = RootCause.of(run.outcomes()).get(0);
        assertThat(first.blocker()).contains(rootCauseTest);
        String summary = run.console().substring(run.console().lastIndexOf("== virtio-tck:"));
        assertThat(summary.lines().skip(1).findFirst().orElse("")).as("the console summary leads with the root cause")
                .startsWith("!! ROOT CAUSE:").contains(rootCauseTest);
        assertThat(run.html().indexOf("id=\"root-cause\"")).as("report.html leads with the root cause")
                .isPositive().isLessThan(run.html().indexOf("id=\"failures\""));
        assertThat(run.html()).contains("root cause: prerequisite");
    }

    @Test
    void registersOnlyDeviceFailsFastWithTheFeatureOfferAsRootCause(@TempDir Path dir) throws IOException {
        Run run = certifyWithRootCause("registers-only", "SmokeSuite#featuresNegotiate", dir);
        failed(run, "featuresNegotiate", "reserved.dev.1");
        assertThat(run.outcomes()).as("reserved.dev.1 is among the failures")
                .anyMatch(o -> o.verdict() == Verdict.FAIL && o.requirementIds().contains("reserved.dev.1")
                        && o.testId().endsWith("IdentificationSuite#modernDeviceOffersVersion1"));
        assertThat(run.smoke("oneRequestCompletes").verdict()).isEqualTo(Verdict.BLOCKED);
        assertAllBlocked(run, "BlockIoSuite");
    }

    @Test
    void deviceThatNeverServesFailsTheRequestPrerequisiteAsAWedge(@TempDir Path dir) throws IOException {
        Run run = certifyWithRootCause("never-serves", "SmokeSuite#oneRequestCompletes", dir);
        TestOutcome smoke = failed(run, "oneRequestCompletes", "blk-desc.dev.10", "status.dev.3");
        assertThat(smoke.severity()).isEqualTo(Severity.HIGH);
        assertThat(smoke.observed()).contains("DEVICE_NEEDS_RESET not set").contains("used idx 0");
        assertThat(run.smoke("featuresNegotiate").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void deviceThatLosesRequestsAfterAResetFailsTheResetPrerequisite(@TempDir Path dir) throws IOException {
        Run run = certifyWithRootCause("loses-requests-after-reset", "SmokeSuite#resetWorks", dir);
        TestOutcome smoke = failed(run, "resetWorks", "blk-desc.dev.10", "status.dev.3");
        assertThat(smoke.observed()).startsWith("after a reset of the live device");
        assertThat(run.smoke("oneRequestCompletes").verdict()).isEqualTo(Verdict.PASS);
        assertAllBlocked(run, "Hostile");
    }

    @Test
    void deviceThatSetsNeedsResetOnAValidRequestIsReportedAtOnce(@TempDir Path dir) throws IOException {
        Run run = certifyWithRootCause("needs-reset-on-request", "SmokeSuite#oneRequestCompletes", dir);
        TestOutcome smoke = failed(run, "oneRequestCompletes", "blk-desc.dev.10", "status.dev.4");
        assertThat(smoke.observed()).contains("entered DEVICE_NEEDS_RESET at once")
                .contains("no configuration change interrupt");
    }

    /** The outcome of smoke test {@code name}, checked to be a FAIL of exactly {@code ids}. */
    private static TestOutcome failed(Run run, String name, String... ids) {
        TestOutcome smoke = run.smoke(name);
        assertThat(smoke.verdict()).as(name).isEqualTo(Verdict.FAIL);
        assertThat(smoke.requirementIds()).as(name).containsExactly(ids);
        return smoke;
    }

    @AfterAll
    static void printSummary() {
        OBSERVED.print();
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
