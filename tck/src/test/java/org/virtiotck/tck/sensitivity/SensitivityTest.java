package org.virtiotck.tck.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.spi.Targets;

/**
 * The TCK's own sensitivity tests: every deliberately broken device of {@link BrokenDevices} must make the
 * conformance tests that verify the broken requirement report FAIL (or HANG), while the unbroken reference device
 * passes exactly the same selection. A variant that comes through clean means a conformance test that cannot fail.
 *
 * <p>The suites are run in-process through the JUnit Platform launcher, as {@code certify} does, with
 * {@code virtio.target=broken:<variant>} and the run report written into a temporary directory.
 */
class SensitivityTest {
    private static final String SUITES = "org.virtiotck.tck.suites.";
    private static final EnumSet<Verdict> FAIL = EnumSet.of(Verdict.FAIL);
    private static final EnumSet<Verdict> FAIL_OR_HANG = EnumSet.of(Verdict.FAIL, Verdict.HANG);
    /** What each variant produced, for the summary printed at the end. */
    private static final Map<String, String> OBSERVED = new LinkedHashMap<>();

    /**
     * One sensitivity case.
     *
     * @param variant   broken variant name
     * @param options   reference options ({@code ?...}) for both the broken and the control run, or ""
     * @param tests     {@code Suite@id}, {@code Suite#method} or {@code Suite} selections
     * @param ids       requirement ids of which every one must be caught
     * @param caught    verdicts that count as caught
     * @param controlIds ids that must PASS on the unbroken reference device (proof the selection really ran)
     */
    record Case(String variant, String options, List<String> tests, List<String> ids, Set<Verdict> caught,
                List<String> controlIds) {
        @Override
        public String toString() {
            return variant + options;
        }
    }

    private static Case c(String variant, String tests, String ids) {
        return c(variant, "", tests, ids, FAIL);
    }

    private static Case c(String variant, String options, String tests, String ids, Set<Verdict> caught) {
        List<String> idList = List.of(ids.split(","));
        return new Case(variant, options, List.of(tests.split(",")), idList, caught, idList);
    }

    static Stream<Case> cases() {
        return Stream.of(
                c("features-ignore-selector", "IdentificationSuite@mmio-desc.dev.2,FeatureNegotiationSuite@mmio-desc.dev.3",
                        "mmio-desc.dev.2,mmio-desc.dev.3"),
                // Selector 1 repeating the low word loses VERSION_1 from the offer and from the selector-1 word.
                c("features-high-word-mirrors-low", "IdentificationSuite@reserved.dev.1,IdentificationSuite@mmio-desc.dev.2",
                        "reserved.dev.1,mmio-desc.dev.2"),
                c("reset-keeps-queue-ready", "StatusAndResetSuite@mmio.dev.6", "mmio.dev.6"),
                c("no-used-interrupt", "InterruptSuite@split.dev.11,InterruptSuite@mmio.dev.3", "split.dev.11,mmio.dev.3"),
                c("interrupt-not-latched", "InterruptSuite@mmio.dev.3", "mmio.dev.3"),
                c("wrong-magic", "IdentificationSuite@mmio.dev.1", "mmio.dev.1"),
                // The target declares a modern transport, so a Version register reading 1 fails mmio.dev.2; the
                // legacy suite then also finds that the register file is not the legacy one.
                new Case("version-1-on-modern", "",
                        List.of("IdentificationSuite@mmio.dev.2", "LegacyTransportSuite@mmio-legacy.dev.1"),
                        List.of("mmio.dev.2", "mmio-legacy.dev.1"), FAIL_OR_HANG, List.of("mmio.dev.2")),
                c("reset-keeps-interrupt-status", "StatusAndResetSuite@mmio.dev.5", "mmio.dev.5"),
                c("accepts-unoffered-features", "FeatureNegotiationSuite@features.dev.3", "features.dev.3"),
                c("ro-writes-succeed", "?ro=true", "BlockIoSuite@blk.dev.21", "blk.dev.21,blk.dev.22", FAIL),
                c("unknown-type-ok", "BlockIoSuite#unknownRequestTypeIsUnsupported", "blk-desc.dev.10"),
                c("no-generation-bump", "ConfigSpaceSuite@mmio.dev.7", "mmio.dev.7"),
                c("queue-num-max-beyond-last", "IdentificationSuite@mmio-desc.dev.4", "mmio-desc.dev.4"),
                c("no-needs-reset", "StatusAndResetSuite@status.dev.3", "status.dev.3"),
                c("undefined-interrupt-bits", "InterruptSuite@mmio.dev.4", "mmio.dev.4"),
                c("shm-not-all-ones", "IdentificationSuite@mmio-desc.dev.8", "mmio-desc.dev.8"),
                c("no-version-1-offered", "IdentificationSuite@reserved.dev.1", "reserved.dev.1"),
                c("offers-admin-vq", "IdentificationSuite@mmio.dev.14", "mmio.dev.14"),
                c("reset-status-sticks", "StatusAndResetSuite@reset.dev.1", "reset.dev.1"),
                c("used-len-overstated", "BlockIoSuite@split.dev.16", "split.dev.16"),
                c("writes-readable-buffers", "BlockIoSuite@split.dev.3", "split.dev.3"));
    }

    @ParameterizedTest(name = "broken:{0} is caught")
    @MethodSource("cases")
    void theSuitesCatchTheBrokenDevice(Case c, @TempDir Path dir) throws IOException {
        RunReport report = certify("broken:" + c.variant() + c.options(), c.tests(), dir);
        List<TestOutcome> outcomes = report.outcomes();
        OBSERVED.put(c.variant(), describe(c.ids(), outcomes));
        List<String> missed = new ArrayList<>();
        for (String id : c.ids()) {
            boolean caught = outcomes.stream()
                    .anyMatch(o -> o.requirementIds().contains(id) && c.caught().contains(o.verdict()));
            if (!caught) {
                missed.add(id);
            }
        }
        assertThat(missed)
                .as("broken:%s (%s) must make a test verifying %s report %s; requirement(s) %s were not caught.%n"
                                + "Outcomes:%n%s", c.variant(), BrokenDevices.get(c.variant()).breaks(), c.ids(),
                        c.caught(), missed, table(outcomes))
                .isEmpty();
    }

    @ParameterizedTest(name = "reference passes the selection for {0}")
    @MethodSource("cases")
    void theReferenceDevicePassesTheSameSelection(Case c, @TempDir Path dir) throws IOException {
        RunReport report = certify("reference" + c.options(), c.tests(), dir);
        List<TestOutcome> outcomes = report.outcomes();
        List<TestOutcome> bad = outcomes.stream()
                .filter(o -> o.verdict() != Verdict.PASS && o.verdict() != Verdict.SKIP).toList();
        assertThat(bad).as("the unbroken reference device must pass the selection for %s:%n%s", c.variant(),
                table(outcomes)).isEmpty();
        for (String id : c.controlIds()) {
            assertThat(outcomes).as("a test verifying %s must run and PASS on the reference device:%n%s", id,
                    table(outcomes)).anyMatch(o -> o.requirementIds().contains(id) && o.verdict() == Verdict.PASS);
        }
    }

    @Test
    void everyVariantHasACase() {
        Set<String> covered = cases().map(Case::variant).collect(Collectors.toSet());
        assertThat(BrokenDevices.all().keySet()).allMatch(covered::contains, "has a sensitivity case");
    }

    @Test
    void unknownVariantIsAnError() {
        assertThatThrownBy(() -> Targets.open("broken:no-such-variant")).isInstanceOf(TargetUriException.class)
                .hasMessageContaining("no-such-variant");
    }

    @AfterAll
    static void printSummary() {
        if (!OBSERVED.isEmpty()) {
            StringBuilder b = new StringBuilder("Sensitivity (variant -> requirement id: verdicts):\n");
            OBSERVED.forEach((v, s) -> b.append(String.format("  %-30s %s%n", v, s)));
            System.out.print(b);
        }
    }

    // ------------------------------------------------------------------ running the suites

    /** Runs the selected suite tests against {@code uri} in this JVM and reads the run report. */
    static RunReport certify(String uri, List<String> tests, Path dir) throws IOException {
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (String t : tests) {
            selectors.addAll(selectors(t));
        }
        return run(uri, selectors, dir);
    }

    /** Runs the selected tests against {@code uri} in this JVM and reads the run report. */
    static RunReport run(String uri, List<DiscoverySelector> selectors, Path dir) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(Targets.TARGET_PROPERTY, uri);
        props.put("virtio.reports.dir", dir.toString());
        if (System.getProperty("virtio.timeout.ms") == null) {
            // Only read when the harness's Timeouts class is first loaded; the reference target is synchronous.
            props.put("virtio.timeout.ms", "1000");
        }
        Map<String, String> saved = new LinkedHashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectors)
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
        assertThat(file).as("run report of %s for %s", uri, selectors).exists();
        return RunReport.read(file);
    }

    /**
     * {@code Suite@id} selects the suite's tests that verify {@code id}; {@code Suite#method} every method of that
     * name (parameterized ones included); {@code Suite} the whole class. Selecting nothing is an error.
     */
    private static List<DiscoverySelector> selectors(String test) {
        int at = Math.max(test.indexOf('#'), test.indexOf('@'));
        String cls = SUITES + (at < 0 ? test : test.substring(0, at));
        if (at < 0) {
            return List.of(selectClass(cls));
        }
        String key = test.substring(at + 1);
        boolean byId = test.charAt(at) == '@';
        Class<?> type;
        try {
            type = Class.forName(cls);
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no suite class " + cls, e);
        }
        List<Method> methods = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> byId ? verifies(m, key) : m.getName().equals(key))
                .sorted(java.util.Comparator.comparing(Method::getName)).toList();
        assertThat(methods).as("suite tests selected by %s", test).isNotEmpty();
        return methods.stream().map(m -> (DiscoverySelector) selectMethod(type, m)).toList();
    }

    private static boolean verifies(Method m, String id) {
        Verifies v = m.getAnnotation(Verifies.class);
        return v != null && Arrays.asList(v.value()).contains(id);
    }

    private static String describe(List<String> ids, List<TestOutcome> outcomes) {
        return ids.stream().map(id -> id + ": " + outcomes.stream().filter(o -> o.requirementIds().contains(id))
                        .map(o -> o.verdict().name()).collect(Collectors.joining("/")))
                .collect(Collectors.joining("; ")) + "   [all: " + outcomes.stream()
                .map(o -> o.testId().substring(o.testId().lastIndexOf('.') + 1) + "=" + o.verdict()
                        + (o.verdict() == Verdict.PASS || o.verdict() == Verdict.SKIP ? "" : " (" + firstLine(o) + ")"))
                .collect(Collectors.joining(", ")) + "]";
    }

    private static String firstLine(TestOutcome o) {
        String m = o.message().strip();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    private static String table(List<TestOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return "  (no outcomes)";
        }
        return outcomes.stream().map(o -> String.format("  %-6s %s %s %s", o.verdict(),
                        o.testId().substring(o.testId().lastIndexOf('.') + 1), o.requirementIds(),
                        o.message().length() > 300 ? o.message().substring(0, 300) + "..." : o.message()))
                .collect(Collectors.joining("\n"));
    }
}
