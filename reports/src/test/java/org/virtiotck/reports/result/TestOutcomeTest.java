package org.virtiotck.reports.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.Fixtures.outcome;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestOutcomeTest {

    @Test
    void defaultsOptionalTextAndCopiesIds() {
        List<String> ids = new ArrayList<>(List.of("mmio.dev.1"));
        var o = new TestOutcome("A#b", null, null, ids, Verdict.PASS, null, null, null, null, null, null, 0, null);
        ids.add("mmio.dev.2");
        assertThat(o.requirementIds()).containsExactly("mmio.dev.1");
        assertThat(o.displayName()).isEqualTo("A#b");
        assertThat(o.severity()).isEqualTo(Severity.NONE);
        assertThat(o.expected()).isEmpty();
        assertThat(o.waivedFrom()).isNull();
    }

    @Test
    void waiveKeepsTheOriginalVerdict() {
        TestOutcome waived = outcome("A#b", Verdict.HANG, "mmio.dev.1").waive("known QEMU bug");
        assertThat(waived.verdict()).isEqualTo(Verdict.WAIVED);
        assertThat(waived.waivedFrom()).isEqualTo(Verdict.HANG);
        assertThat(waived.waiverReason()).isEqualTo("known QEMU bug");
        assertThat(waived.testId()).isEqualTo("A#b");
    }

    @Test
    void onlyFailuresCanBeWaived() {
        assertThatThrownBy(() -> outcome("A#b", Verdict.PASS).waive("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> outcome("A#b", Verdict.ERROR).waive("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new TestOutcome("A#b", "", "", List.of(), Verdict.WAIVED, Severity.LOW, "", "", "",
                null, null, 0, "", null, null)).hasMessageContaining("waivedFrom");
        assertThatThrownBy(() -> new TestOutcome("A#b", "", "", List.of(), Verdict.WAIVED, Severity.LOW, "", "", "",
                null, null, 0, "", Verdict.SKIP, "r")).hasMessageContaining("SKIP cannot be waived");
    }

    @Test
    void rejectsNegativeDuration() {
        assertThatThrownBy(() -> new TestOutcome("A#b", "", "", List.of(), Verdict.PASS, null, "", "", "", null,
                null, -1, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verdictClassification() {
        assertThat(Verdict.values()).filteredOn(Verdict::isWaivable)
                .containsExactly(Verdict.FAIL, Verdict.CRASH, Verdict.HANG);
        assertThat(Verdict.values()).filteredOn(v -> !v.exercisedTarget())
                .containsExactly(Verdict.SKIP, Verdict.ERROR, Verdict.BLOCKED);
    }

    @Test
    void blockedOutcomesNameTheirBlockerAndNothingElseDoes() {
        TestOutcome b = TestOutcome.blocked("A#b", "b", "s", List.of("mmio.dev.1"), "prerequisite x", "x failed", "t");
        assertThat(b.verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(b.blockedBy()).isEqualTo("prerequisite x");
        assertThat(b.observed()).isEqualTo("x failed");
        assertThatThrownBy(() -> b.waive("no")).hasMessageContaining("BLOCKED cannot be waived");
        assertThatThrownBy(() -> new TestOutcome("A#b", "", "", List.of(), Verdict.BLOCKED, null, "", "", "", null,
                null, 0, "")).hasMessageContaining("blockedBy");
    }
}
