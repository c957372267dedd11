package org.virtiotck.tck.sensitivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * The lifecycle tests ({@code StatusAndResetSuite#requestsAreServedInEveryLifecycleState}) catch a device that is
 * right after the first initialization and wrong after a reset: its used idx keeps counting across the reset.
 */
class LifecycleSensitivityTest {
    static final String VARIANT = "used-idx-survives-reset";
    private static final String SUITE = "org.virtiotck.tck.suites.StatusAndResetSuite";
    private static final String METHOD = "requestsAreServedInEveryLifecycleState";

    @Test
    void aUsedIdxThatSurvivesResetIsCaughtOnlyAfterTheReset(@TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = HostileSensitivityTest.run("broken:" + VARIANT, selector(), dir);
        String table = HostileSensitivityTest.table(outcomes);
        assertThat(outcomes).as("outcomes%n%s", table).hasSize(3);
        assertThat(state(outcomes, "FIRST_INITIALIZATION").verdict()).as(table).isEqualTo(Verdict.PASS);
        TestOutcome after = state(outcomes, "AFTER_RESET_AND_REINITIALIZATION");
        assertThat(after.verdict()).as(table).isEqualTo(Verdict.FAIL);
        assertThat(after.requirementIds()).contains("split-desc.dev.1");
        assertThat(after.message()).contains("used idx");
    }

    @Test
    void theReferenceDevicePassesEveryState(@TempDir Path dir) throws Exception {
        List<TestOutcome> outcomes = HostileSensitivityTest.run("reference", selector(), dir);
        assertThat(outcomes).as(HostileSensitivityTest.table(outcomes)).hasSize(3)
                .allMatch(o -> o.verdict() == Verdict.PASS);
    }

    private static DiscoverySelector selector() throws ClassNotFoundException {
        Class<?> type = Class.forName(SUITE);
        Method m = Arrays.stream(type.getDeclaredMethods()).filter(x -> x.getName().equals(METHOD)).findFirst()
                .orElseThrow();
        return selectMethod(type, m);
    }

    private static TestOutcome state(List<TestOutcome> outcomes, String state) {
        return outcomes.stream().filter(o -> o.displayName().startsWith(state)).findFirst().orElseThrow();
    }
}
