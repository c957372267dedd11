package org.virtiotck.reports.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.SampleReports.PKG;
import static org.virtiotck.reports.SampleReports.REGISTRY;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.Fixtures;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class CertificationTest {

    private static final RequirementRegistry SMALL = Fixtures.registry(
            "x.dev.1 device MUST yes", "x.dev.2 device MUST_NOT yes", "x.dev.3 device SHOULD yes",
            "x.dev.4 device SHOULD_NOT yes", "x.dev.5 device MAY yes", "x.drv.1 driver MUST yes");

    private static RunReport run(TestOutcome... outcomes) {
        return RunReport.of(SMALL, SampleReports.TOOL, SampleReports.TARGET, SampleReports.START,
                SampleReports.START.plusSeconds(1), null, List.of(outcomes), List.of());
    }

    @Test
    void levelOfARequirementFollowsItsKeywordAndActor() {
        assertThat(CertificationLevel.of("x.dev.1", SMALL)).isEqualTo(CertificationLevel.REQUIRED);
        assertThat(CertificationLevel.of("x.dev.2", SMALL)).isEqualTo(CertificationLevel.REQUIRED);
        assertThat(CertificationLevel.of("x.dev.3", SMALL)).isEqualTo(CertificationLevel.RECOMMENDED);
        assertThat(CertificationLevel.of("x.dev.4", SMALL)).isEqualTo(CertificationLevel.RECOMMENDED);
        assertThat(CertificationLevel.of("x.dev.5", SMALL)).isEqualTo(CertificationLevel.FULL);
        assertThat(CertificationLevel.of("x.drv.1", SMALL)).as("driver rules are not the device's")
                .isEqualTo(CertificationLevel.FULL);
        assertThat(CertificationLevel.of("nope.dev.9", SMALL)).isEqualTo(CertificationLevel.FULL);
        assertThat(CertificationLevel.strongest(List.of("x.dev.5", "x.dev.3", "x.dev.2"), SMALL))
                .isEqualTo(CertificationLevel.REQUIRED);
        assertThat(CertificationLevel.strongest(List.of(), SMALL)).isEqualTo(CertificationLevel.FULL);
    }

    @Test
    void descriptiveMustCountsAsRequired() {
        var descriptiveMust = REGISTRY.all().stream()
                .filter(r -> r.descriptive() && r.level().name().equals("MUST") && r.isDeviceTestable())
                .findFirst().orElseThrow();
        assertThat(CertificationLevel.of(descriptiveMust)).isEqualTo(CertificationLevel.REQUIRED);
    }

    @Test
    void shouldFailureBlocksRecommendedButNotRequired() {
        RunReport report = run(Fixtures.outcome("T#must", Verdict.PASS, "x.dev.1"),
                Fixtures.outcome("T#should", Verdict.FAIL, "x.dev.3"));
        CertificationResult required = Certification.evaluate(report, SMALL, CertificationLevel.REQUIRED);
        assertThat(required.certified()).isTrue();
        assertThat(required.blockingTestIds()).isEmpty();
        assertThat(required.summary()).startsWith("CERTIFIED at REQUIRED");

        CertificationResult recommended = Certification.evaluate(report, SMALL, CertificationLevel.RECOMMENDED);
        assertThat(recommended.certified()).isFalse();
        assertThat(recommended.blockingTestIds()).containsExactly("T#should");
        assertThat(recommended.blockingRequirementIds()).containsExactly("x.dev.3");
        assertThat(recommended.summary()).startsWith("NOT CERTIFIED at RECOMMENDED").contains("1 blocking test");

        assertThat(Certification.evaluate(report, SMALL, CertificationLevel.FULL).certified()).isFalse();
    }

    @Test
    void mayDriverAndUnknownFailuresBlockOnlyFull() {
        for (String id : List.of("x.dev.5", "x.drv.1", "unknown.dev.1")) {
            RunReport report = run(Fixtures.outcome("T#t", Verdict.FAIL, id));
            assertThat(Certification.evaluate(report, SMALL, CertificationLevel.RECOMMENDED).certified()).as(id)
                    .isTrue();
            CertificationResult full = Certification.evaluate(report, SMALL, CertificationLevel.FULL);
            assertThat(full.certified()).as(id).isFalse();
            assertThat(full.blockingRequirementIds()).containsExactly(id);
        }
        RunReport noIds = run(Fixtures.outcome("T#none", Verdict.CRASH));
        assertThat(Certification.evaluate(noIds, SMALL, CertificationLevel.REQUIRED).certified()).isTrue();
        assertThat(Certification.evaluate(noIds, SMALL, CertificationLevel.FULL).blockingTestIds())
                .containsExactly("T#none");
    }

    @Test
    void outcomeLevelIsTheStrongestOfItsIdsAndOnlyQualifyingIdsAreBlamed() {
        RunReport report = run(Fixtures.outcome("T#mixed", Verdict.HANG, "x.dev.5", "x.dev.3", "x.dev.1"));
        CertificationResult required = Certification.evaluate(report, SMALL, CertificationLevel.REQUIRED);
        assertThat(required.certified()).isFalse();
        assertThat(required.blockingRequirementIds()).containsExactly("x.dev.1");
        assertThat(Certification.evaluate(report, SMALL, CertificationLevel.RECOMMENDED).blockingRequirementIds())
                .containsExactly("x.dev.1", "x.dev.3");
        assertThat(Certification.evaluate(report, SMALL, CertificationLevel.FULL).blockingRequirementIds())
                .as("catalog order").containsExactly("x.dev.1", "x.dev.3", "x.dev.5");
    }

    @Test
    void everyBadVerdictBlocksAndWaivedOrSkippedDoNot() {
        for (Verdict v : Verdict.values()) {
            TestOutcome o = v == Verdict.BLOCKED
                    ? TestOutcome.blocked("T#v", "v", "x", List.of("x.dev.1"), "prerequisite p", "p failed", "t")
                    : Fixtures.outcome("T#v", v == Verdict.WAIVED ? Verdict.FAIL : v, "x.dev.1");
            if (v == Verdict.WAIVED) {
                o = o.waive("known");
            }
            boolean blocks = v == Verdict.FAIL || v == Verdict.CRASH || v == Verdict.HANG || v == Verdict.ERROR
                    || v == Verdict.BLOCKED;
            assertThat(Certification.evaluate(run(o), SMALL, CertificationLevel.REQUIRED).certified()).as(v.name())
                    .isEqualTo(!blocks);
        }
    }

    @Test
    void unfinishedOrEmptyRunsAreNotCertified() {
        RunReport unfinished = RunReport.of(SMALL, SampleReports.TOOL, SampleReports.TARGET, SampleReports.START,
                null, null, List.of(Fixtures.outcome("T#a", Verdict.PASS, "x.dev.1")), List.of());
        CertificationResult r = Certification.evaluate(unfinished, SMALL, CertificationLevel.REQUIRED);
        assertThat(r.certified()).isFalse();
        assertThat(r.blockingTestIds()).isEmpty();
        assertThat(r.summary()).contains("did not finish");
        CertificationResult empty = Certification.evaluate(run(), SMALL, CertificationLevel.FULL);
        assertThat(empty.certified()).isFalse();
        assertThat(empty.summary()).contains("no test outcomes");
    }

    @Test
    void sampleRunsOverTheRealCatalog() {
        assertThat(Certification.evaluate(SampleReports.passing(), REGISTRY, CertificationLevel.FULL).certified())
                .isTrue();
        RunReport failing = SampleReports.failing();
        CertificationResult required = Certification.evaluate(failing, REGISTRY, CertificationLevel.REQUIRED);
        assertThat(required.blockingTestIds()).containsExactly(PKG + "MmioRegisterSuite#versionIsTwo",
                PKG + "SplitQueueSuite#chainSplitDoesNotMatter", PKG + "BlkRequestSuite#writebackStartsAtZero");
        assertThat(required.blockingRequirementIds()).containsExactly("split.dev.1", "mmio.dev.2", "blk.dev.3");
        List<String> recommended = new ArrayList<>(
                Certification.evaluate(failing, REGISTRY, CertificationLevel.RECOMMENDED).blockingTestIds());
        assertThat(recommended).contains(PKG + "FeatureNegotiationSuite#anyValidSubsetIsAccepted").hasSize(4);
    }

    @Test
    void parsesLevelNames() {
        assertThat(CertificationLevel.parse(" recommended")).isEqualTo(CertificationLevel.RECOMMENDED);
        assertThatThrownBy(() -> CertificationLevel.parse("gold")).hasMessageContaining("required, recommended");
    }
}
