package org.virtiotck.tck.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * Sensitivity of the hostile cases that go on to the point of harm (issue #10, {@link HarmBrokenDevices}): each
 * broken variant is caught by the one case whose extension reaches its bug, with the expected verdict, id and
 * severity, while a later case of the same run still passes; the reference device passes the same selection. The
 * correct variant that sets DEVICE_NEEDS_RESET before DRIVER_OK without an interrupt passes every hostile case.
 */
class HarmSensitivityTest {
    private static final Map<String, String> OBSERVED = new LinkedHashMap<>();
    /** The correct variant: must pass every hostile case. */
    static final String CORRECT = "needs-reset-before-driver-ok";

    /**
     * @param variant  the broken variant
     * @param suite    HostileChainSuite or HostileRingSuite
     * @param trigger  the case whose extension reaches the bug
     * @param id       the requirement id the trigger must report
     * @param verdict  the verdict it must report
     * @param severity the severity it must report
     * @param control  a later case the variant does not provoke: it must PASS
     */
    record Case(String variant, String suite, String trigger, String id, Verdict verdict, Severity severity,
                String control) {
        @Override
        public String toString() {
            return variant;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("oversized-ring-crash", "HostileRingSuite", "queue-size.twice-max", "status.dev.3",
                        Verdict.CRASH, Severity.HIGH, "queue-size.100"),
                new Case("live-queue-num-crash", "HostileRingSuite", "live-register.queue-num.modern",
                        "status.dev.3", Verdict.CRASH, Severity.HIGH, "live-register.desc-low.modern"),
                new Case("follows-nested-indirect", "HostileChainSuite", "indirect.nested", "split.dev.6",
                        Verdict.HANG, Severity.HIGH, "indirect.with-next"),
                new Case("wedges-after-64-requests", "HostileRingSuite", "wrap.batch-straddles-65535",
                        "split-desc.dev.1", Verdict.FAIL, Severity.HIGH, "queue-size.0"),
                new Case("header-from-writable", "HostileChainSuite", "direction.header-writable.direct",
                        "split.dev.3", Verdict.FAIL, Severity.LOW, "direction.read-into-readable.direct"));
    }

    @ParameterizedTest(name = "broken:{0} is caught")
    @MethodSource("cases")
    void theExtensionCatchesTheBrokenDevice(Case c, @TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = HostileSensitivityTest.certify("broken:" + c.variant(), c.suite(),
                List.of(c.trigger(), c.control()), dir);
        TestOutcome o = HostileSensitivityTest.outcome(outcomes, c.trigger());
        String table = HostileSensitivityTest.table(outcomes);
        assertThat(o).as("outcome of %s%n%s", c.trigger(), table).isNotNull();
        assertThat(o.verdict()).as("verdict of %s against broken:%s%n%s", c.trigger(), c.variant(), table)
                .isEqualTo(c.verdict());
        assertThat(o.requirementIds()).as("ids of %s", c.trigger()).contains(c.id());
        assertThat(o.severity()).as("severity of %s%n%s", c.trigger(), table).isEqualTo(c.severity());
        if (c.verdict() == Verdict.FAIL && c.severity() == Severity.HIGH) {
            // A wedge: reported with what the driver saw, not as a HANG.
            assertThat(o.message()).as("wedge report").contains("no completion while the device kept answering")
                    .contains("no DEVICE_NEEDS_RESET").contains("used idx").contains("InterruptStatus");
        }
        TestOutcome ctl = HostileSensitivityTest.outcome(outcomes, c.control());
        assertThat(ctl).as("the run carries on: %s%n%s", c.control(), table).isNotNull();
        assertThat(ctl.verdict()).as("%s after the %s%n%s", c.control(), c.verdict(), table).isEqualTo(Verdict.PASS);
        OBSERVED.put(c.variant(), c.trigger() + "=" + o.verdict() + "/" + o.severity() + " on " + c.id() + ", then "
                + c.control() + "=" + ctl.verdict());
    }

    @ParameterizedTest(name = "reference passes the selection for {0}")
    @MethodSource("cases")
    void theReferenceDevicePassesTheSameSelection(Case c, @TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = HostileSensitivityTest.certify("reference", c.suite(),
                List.of(c.trigger(), c.control()), dir);
        assertThat(outcomes).as("the reference device passes%n%s", HostileSensitivityTest.table(outcomes))
                .hasSize(2).allMatch(o -> o.verdict() == Verdict.PASS);
    }

    /** A correct device: DEVICE_NEEDS_RESET before DRIVER_OK needs no interrupt (status.dev.4 applies after it). */
    @ParameterizedTest(name = "broken:needs-reset-before-driver-ok passes every case of {0}")
    @ValueSource(strings = {"HostileRingSuite", "HostileChainSuite"})
    void needsResetBeforeDriverOkPassesEveryHostileCase(String suite, @TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = HostileSensitivityTest.certify("broken:" + CORRECT, suite,
                null, dir);
        String table = HostileSensitivityTest.table(outcomes);
        assertThat(outcomes).as("outcomes%n%s", table).isNotEmpty()
                .allMatch(o -> o.verdict() == Verdict.PASS || o.verdict() == Verdict.SKIP);
        if (suite.equals("HostileRingSuite")) {
            assertThat(outcomes.stream().filter(o -> o.displayName().contains("/queue-size.")))
                    .as("queue-size cases%n%s", table).hasSize(4).allMatch(o -> o.verdict() == Verdict.PASS);
        }
        OBSERVED.put(CORRECT + " (" + suite + ")", outcomes.stream()
                .collect(Collectors.groupingBy(TestOutcome::verdict, Collectors.counting())).toString());
    }

    @AfterAll
    static void printSummary() {
        if (!OBSERVED.isEmpty()) {
            StringBuilder b = new StringBuilder("Point-of-harm sensitivity (variant -> outcome):\n");
            OBSERVED.forEach((v, s) -> b.append(String.format("  %-40s %s%n", v, s)));
            System.out.print(b);
        }
    }
}
