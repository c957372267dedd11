package org.virtiotck.tck.target.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.spi.Targets;

/** Runs every conformance suite against one target URI in this JVM (as {@code certify} does) and reads the report. */
public final class SuiteRun {
    private SuiteRun() {}

    public static RunReport certify(String uri) throws IOException {
        Path dir = Files.createTempDirectory("virtio-tck-run-");
        Map<String, String> props = new LinkedHashMap<>();
        props.put(Targets.TARGET_PROPERTY, uri);
        props.put("virtio.reports.dir", dir.toString());
        if (System.getProperty("virtio.timeout.ms") == null) {
            props.put("virtio.timeout.ms", "2000");
        }
        Map<String, String> saved = new LinkedHashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("org.virtiotck.tck.suites"))
                    .filters(includeClassNamePatterns(".*Suite"))
                    .configurationParameter("junit.platform.output.capture.stdout", "false")
                    .build();
            LauncherFactory.create().execute(request);
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        Path file = dir.resolve("run-report.json");
        assertThat(file).as("run report of %s", uri).exists();
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
