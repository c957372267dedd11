package org.virtiotck.tck.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectIteration;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.hostile.BugClass;
import org.virtiotck.tck.hostile.HostileCase;
import org.virtiotck.tck.spi.Targets;

/**
 * The hostile suites' own sensitivity test: every variant of {@link HostileBrokenDevices} (one per bug class) must
 * be caught by the hostile cases that provoke it, with the expected requirement id and verdict (CRASH, HANG, FAIL,
 * and CRITICAL severity for corruption). After a crash or hang the harness must carry on: a later case of the same
 * run, which the variant does not provoke, must still PASS. The unbroken reference device passes the same
 * selection.
 */
class HostileSensitivityTest {
    private static final String SUITES = "org.virtiotck.tck.suites.";
    private static final Map<String, String> OBSERVED = new LinkedHashMap<>();

    /**
     * @param variant   the broken variant
     * @param bugClass  the class it breaks
     * @param suite     HostileChainSuite or HostileRingSuite
     * @param triggers  hostile case ids that must catch it
     * @param id        the requirement id each trigger must report it under
     * @param verdict   the verdict each trigger must report
     * @param critical  whether the finding must be CRITICAL (memory or disk corruption)
     * @param control   a later case the variant does not provoke: it must PASS (the run carried on), or null
     */
    record Case(String variant, BugClass bugClass, String suite, List<String> triggers, String id, Verdict verdict,
                boolean critical, String control) {
        @Override
        public String toString() {
            return variant;
        }
    }

    private static final String CHAIN = "HostileChainSuite";
    private static final String RING = "HostileRingSuite";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("hang-on-descriptor-loop", BugClass.LOOPS, CHAIN,
                        List.of("loop.head-to-itself.direct", "loop.middle.indirect"), "split.dev.2", Verdict.HANG,
                        false, "addr.data-straddles-2^52.direct"),
                new Case("crash-on-bad-index", BugClass.INDEX_OUT_OF_RANGE, CHAIN,
                        List.of("index.head-equals-size", "index.next.middle.direct"), "status.dev.3", Verdict.CRASH,
                        false, "addr.header-at-2^56.direct"),
                new Case("wild-write-on-wrapping-address", BugClass.ADDRESS_OUTSIDE_RAM, CHAIN,
                        List.of("addr.data-wraps-2^64.direct"), "split.dev.3", Verdict.FAIL, true,
                        "zero.data-in-middle.direct"),
                new Case("zero-length-means-16", BugClass.ZERO_LENGTH, CHAIN,
                        List.of("zero.status.direct", "zero.status-only-writable.direct"), "split.dev.3",
                        Verdict.FAIL, true, null),
                new Case("garbage-sector-on-short-header", BugClass.SHORT_HEADER, CHAIN,
                        List.of("header.8-bytes.direct", "header.missing.direct"), "blk-desc.dev.7", Verdict.FAIL,
                        true, null),
                new Case("sector-overflow-wraps", BugClass.SECTOR_RANGE, CHAIN,
                        List.of("sector.write-2^55.direct", "sector.write-2^55+1.mixed"), "blk-desc.dev.9",
                        Verdict.FAIL, true, null),
                new Case("writes-readable-after-writable", BugClass.DIRECTION, CHAIN,
                        List.of("direction.readable-after-data.direct", "direction.readable-after-data.indirect"),
                        "split.dev.3", Verdict.FAIL, true, null),
                new Case("crash-on-big-indirect-table", BugClass.INDIRECT_ABUSE, CHAIN,
                        List.of("indirect.larger-than-queue"), "split.dev.6", Verdict.CRASH, false,
                        "get-id.8-bytes.direct"),
                new Case("divides-by-queue-size", BugClass.QUEUE_SIZE, RING, List.of("queue-size.0"), "status.dev.3",
                        Verdict.CRASH, false, "queue-size.100"),
                new Case("ignores-avail-jump", BugClass.AVAIL_JUMP, RING,
                        List.of("avail-jump.size+1", "avail-jump.0x8000"), "split-desc.dev.1", Verdict.FAIL, false,
                        null),
                new Case("index-wrap-stops", BugClass.INDEX_WRAP, RING, List.of("wrap.batch-straddles-65535"),
                        "split-desc.dev.1", Verdict.FAIL, false, null),
                new Case("uses-live-queue-num", BugClass.LIVE_QUEUE_REGISTERS, RING,
                        List.of("live-register.queue-num.modern"), "split.dev.3", Verdict.FAIL, true, null),
                new Case("refetches-on-every-notify", BugClass.DOUBLE_FETCH, RING,
                        List.of("double-fetch.data-redirected", "double-fetch.sector-rewritten"), "split-desc.dev.1",
                        Verdict.FAIL, false, null),
                new Case("completes-after-reset", BugClass.RESET_IN_FLIGHT, RING,
                        List.of("reset.available-not-notified"), "reset.dev.2", Verdict.FAIL, false, null),
                new Case("no-config-irq-on-resize", BugClass.CONFIG_CHANGE, RING,
                        List.of("config.grow-while-running.modern"), "notif-desc.dev.1", Verdict.FAIL, false, null),
                new Case("needs-reset-without-irq", BugClass.NEEDS_RESET, RING,
                        List.of("needs-reset.signal-then-recover", "needs-reset.good-requests-around-bad"),
                        "status.dev.4", Verdict.FAIL, false, null),
                new Case("allocates-declared-length", BugClass.EXHAUSTION, CHAIN,
                        List.of("huge.read-len-ffffffff.direct", "huge.write-lengths-sum-2^32.direct"), "split.dev.2",
                        Verdict.CRASH, false, "huge.4096-empty-entries.indirect"),
                new Case("get-id-writes-20-bytes", BugClass.SHORT_GET_ID, CHAIN,
                        List.of("get-id.8-bytes.direct", "get-id.19-bytes.direct"), "blk-desc.dev.12", Verdict.FAIL,
                        true, null),
                new Case("serves-before-driver-ok", BugClass.NOT_READY, RING,
                        List.of("early.before-driver-ok.modern"), "status.dev.1", Verdict.FAIL, false, null));
    }

    @ParameterizedTest(name = "broken:{0} is caught")
    @MethodSource("cases")
    void theHostileSuitesCatchTheBrokenDevice(Case c, @TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = certify("broken:" + c.variant(), c, dir);
        StringBuilder seen = new StringBuilder();
        for (String t : c.triggers()) {
            TestOutcome o = outcome(outcomes, t);
            seen.append(t).append('=').append(o == null ? "missing" : o.verdict() + "/" + o.severity()).append(' ');
            assertThat(o).as("outcome of %s against broken:%s%n%s", t, c.variant(), table(outcomes)).isNotNull();
            assertThat(o.verdict()).as("verdict of %s against broken:%s (%s)%n%s", t, c.variant(),
                    HostileBrokenDevices.get(c.variant()).breaks(), table(outcomes)).isEqualTo(c.verdict());
            assertThat(o.requirementIds()).as("ids of %s", t).contains(c.id());
            if (c.critical()) {
                assertThat(o.severity()).as("severity of %s (corruption)%n%s", t, table(outcomes))
                        .isEqualTo(Severity.CRITICAL);
            }
            if (c.verdict() == Verdict.CRASH || c.verdict() == Verdict.HANG) {
                assertThat(o.severity()).as("severity of %s", t).isEqualTo(Severity.HIGH);
            }
        }
        if (c.control() != null) {
            TestOutcome o = outcome(outcomes, c.control());
            seen.append("then ").append(c.control()).append('=').append(o == null ? "missing" : o.verdict());
            assertThat(o).as("the run must carry on after the %s: outcome of %s%n%s", c.verdict(), c.control(),
                    table(outcomes)).isNotNull();
            assertThat(o.verdict()).as("%s after the %s%n%s", c.control(), c.verdict(), table(outcomes))
                    .isEqualTo(Verdict.PASS);
        }
        OBSERVED.put(c.variant() + " (class " + c.bugClass().number() + ")", c.id() + ": " + seen);
    }

    @ParameterizedTest(name = "reference passes the selection for {0}")
    @MethodSource("cases")
    void theReferenceDevicePassesTheSameSelection(Case c, @TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = certify("reference", c, dir);
        assertThat(outcomes).as("outcomes").hasSize(c.triggers().size() + (c.control() == null ? 0 : 1));
        assertThat(outcomes).as("the reference device passes%n%s", table(outcomes))
                .allMatch(o -> o.verdict() == Verdict.PASS);
    }

    @Test
    void everyVariantHasACaseAndEveryClassAVariant() {
        Set<String> covered = cases().map(Case::variant).collect(Collectors.toSet());
        HarmSensitivityTest.cases().forEach(h -> covered.add(h.variant()));
        covered.add(HarmSensitivityTest.CORRECT);
        covered.add(LifecycleSensitivityTest.VARIANT);
        assertThat(HostileBrokenDevices.all().keySet()).allMatch(covered::contains, "has a sensitivity case");
        assertThat(cases().map(Case::bugClass).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(BugClass.values());
    }

    @Test
    void everyClassHasSeveralCases() throws Exception {
        Map<BugClass, Long> perClass = new java.util.EnumMap<>(BugClass.class);
        for (String suite : List.of(CHAIN, RING)) {
            for (HostileCase h : table(suite)) {
                perClass.merge(h.bugClass(), 1L, Long::sum);
            }
        }
        System.out.println("Hostile cases per class: " + perClass);
        assertThat(perClass.keySet()).containsExactlyInAnyOrder(BugClass.values());
        assertThat(perClass.values()).allMatch(n -> n >= 2);
    }

    @AfterAll
    static void printSummary() {
        if (!OBSERVED.isEmpty()) {
            StringBuilder b = new StringBuilder("Hostile sensitivity (variant -> id: case=verdict/severity):\n");
            OBSERVED.forEach((v, s) -> b.append(String.format("  %-45s %s%n", v, s)));
            System.out.print(b);
        }
    }

    // ------------------------------------------------------------------ running selected cases

    @SuppressWarnings("unchecked")
    static List<HostileCase> table(String suite) throws Exception {
        Field f = Class.forName(SUITES + suite).getDeclaredField("CASES");
        f.setAccessible(true);
        return (List<HostileCase>) f.get(null);
    }

    static TestOutcome outcome(List<TestOutcome> outcomes, String caseId) {
        return outcomes.stream().filter(o -> o.displayName().contains("/" + caseId + " ")).findFirst().orElse(null);
    }

    /** Runs the trigger and control invocations of the case's suite against {@code uri} in this JVM. */
    private static List<TestOutcome> certify(String uri, Case c, Path dir) throws Exception {
        List<String> wanted = new ArrayList<>(c.triggers());
        if (c.control() != null) {
            wanted.add(c.control());
        }
        return certify(uri, c.suite(), wanted, dir);
    }

    /** Runs the invocations of {@code suite} whose case ids are {@code wanted} (all when null) against {@code uri}. */
    static List<TestOutcome> certify(String uri, String suite, List<String> wanted, Path dir) throws Exception {
        List<HostileCase> cases = table(suite);
        int[] indices = IntStream.range(0, cases.size())
                .filter(i -> wanted == null || wanted.contains(cases.get(i).id())).toArray();
        assertThat(indices).as("selected cases of %s", suite).hasSize(wanted == null ? cases.size() : wanted.size());
        Class<?> type = Class.forName(SUITES + suite);
        Method m = java.util.Arrays.stream(type.getDeclaredMethods())
                .filter(x -> x.isAnnotationPresent(ParameterizedTest.class)).findFirst().orElseThrow();
        return run(uri, selectIteration(selectMethod(type, m), indices), dir);
    }

    /** Runs what {@code selector} selects against {@code uri} in this JVM; returns the outcomes it reported. */
    static List<TestOutcome> run(String uri, DiscoverySelector selector, Path dir) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(Targets.TARGET_PROPERTY, uri);
        props.put("virtio.reports.dir", dir.toString());
        if (System.getProperty("virtio.timeout.ms") == null) {
            props.put("virtio.timeout.ms", "1000");
        }
        Map<String, String> saved = new LinkedHashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selector)
                    .configurationParameter("junit.platform.output.capture.stdout", "false").build());
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
        return RunReport.read(file).outcomes();
    }

    static String table(List<TestOutcome> outcomes) {
        return outcomes.stream().map(o -> String.format("  %-6s %-8s %s %s", o.verdict(), o.severity(),
                        o.displayName(), o.message().length() > 400 ? o.message().substring(0, 400) + "..."
                                : o.message()))
                .collect(Collectors.joining("\n"));
    }
}
