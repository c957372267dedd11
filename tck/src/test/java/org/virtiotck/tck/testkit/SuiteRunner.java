package org.virtiotck.tck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.junit.RunSettings;
import org.virtiotck.tck.spi.Targets;

/**
 * The one way the TCK's own tests run conformance suites in this JVM, as {@code certify} does: through the JUnit
 * Platform launcher, with {@code virtio.target} and {@code virtio.reports.dir} set for the run (and put back
 * afterwards), then the run report read back.
 */
public final class SuiteRunner {
    /** Package prefix of the conformance suites. */
    public static final String SUITES = "org.virtiotck.tck.suites.";
    /** Timeout for the sensitivity runs (the in-process devices are synchronous). */
    public static final String QUICK_TIMEOUT_MS = "1000";
    /** Timeout for whole certifications, which may go through a VM. */
    public static final String CERTIFY_TIMEOUT_MS = "2000";

    private SuiteRunner() {}

    /** Every conformance suite against {@code uri}, the report written into a fresh temporary directory. */
    public static RunReport certify(String uri) throws IOException {
        return run(uri, List.of(allSuites()), Files.createTempDirectory("virtio-tck-run-"), CERTIFY_TIMEOUT_MS);
    }

    /** Selects every conformance suite. */
    public static DiscoverySelector allSuites() {
        return selectPackage(SUITES.substring(0, SUITES.length() - 1));
    }

    /** Runs what {@code selectors} select against {@code uri}, the report written into {@code dir}. */
    public static RunReport run(String uri, List<? extends DiscoverySelector> selectors, Path dir)
            throws IOException {
        return run(uri, selectors, dir, QUICK_TIMEOUT_MS);
    }

    /**
     * Runs what {@code selectors} select against {@code uri}, the report written into {@code dir}. The timeout is
     * set only when {@code virtio.timeout.ms} is not already given; the harness reads it once, when its
     * {@code Timeouts} class is first loaded.
     */
    public static RunReport run(String uri, List<? extends DiscoverySelector> selectors, Path dir, String timeoutMs)
            throws IOException {
        // The run's target and report directory are JUnit configuration parameters, as certify passes them; the
        // timeout is a system property because the harness reads it once per JVM.
        if (System.getProperty("virtio.timeout.ms") == null) {
            System.setProperty("virtio.timeout.ms", timeoutMs);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(includeClassNamePatterns(".*Suite"))
                .configurationParameter(RunSettings.TARGET, uri)
                .configurationParameter(RunSettings.REPORTS_DIR, dir.toString())
                .configurationParameter("junit.platform.output.capture.stdout", "false")
                .build();
        LauncherFactory.create().execute(request);
        Path file = dir.resolve("run-report.json");
        assertThat(file).as("run report of %s for %s", uri, selectors).exists();
        return RunReport.read(file);
    }

    /** Test id to verdict. */
    public static Map<String, Verdict> verdicts(RunReport r) {
        Map<String, Verdict> m = new TreeMap<>();
        for (TestOutcome o : r.outcomes()) {
            m.put(o.testId(), o.verdict());
        }
        return m;
    }

    /** How many outcomes had each verdict. */
    public static Map<Verdict, Long> counts(RunReport r) {
        return r.outcomes().stream().collect(Collectors.groupingBy(TestOutcome::verdict, TreeMap::new,
                Collectors.counting()));
    }

    /** Every outcome that is neither PASS nor SKIP, one per line with its message. */
    public static String problems(RunReport r) {
        return r.outcomes().stream().filter(o -> o.verdict() != Verdict.PASS && o.verdict() != Verdict.SKIP)
                .map(o -> o.verdict() + " " + o.testId() + ": " + o.message())
                .collect(Collectors.joining("\n"));
    }
}
