package org.virtiotck.reports.result;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.cert.Certification;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.cert.CertificationReport;
import org.virtiotck.reports.cert.JUnitXmlReport;
import org.virtiotck.reports.compare.ReportComparison;
import org.virtiotck.reports.html.HtmlReport;
import org.virtiotck.reports.JsonSchemas;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.matrix.TraceabilityMatrix;

/** BLOCKED through every report: never a pass, always blocking, and the root cause leads. */
class BlockedReportTest {

    @Test
    void blockedTestsFailCertificationAtEveryLevel() {
        RunReport r = SampleReports.blocked();
        for (CertificationLevel l : CertificationLevel.values()) {
            assertThat(Certification.evaluate(r, SampleReports.REGISTRY, l).blockingTestIds())
                    .as(l.name()).anyMatch(id -> id.endsWith("BlockIoSuite#flushCompletes"));
        }
        assertThat(r.verdictCounts()).containsEntry(Verdict.BLOCKED, 3).containsEntry(Verdict.PASS, 1);
    }

    @Test
    void reportsWithBlockedOutcomesMatchTheirSchemas() throws IOException {
        RunReport r = SampleReports.blocked();
        String json = new String(r.toJson(), StandardCharsets.UTF_8);
        Schema runSchema = JsonSchemas.load("run-report.schema.json");
        assertThat(JsonSchemas.validate(runSchema, json)).isEmpty();
        assertThat(JsonSchemas.validate(runSchema, json.replaceFirst("\"blockedBy\" : \"prereq[^\"]*\"",
                "\"blockedBy\" : null"))).as("a BLOCKED outcome names its blocker").isNotEmpty();
        String cert = new String(CertificationReport.of(r, SampleReports.REGISTRY, CertificationLevel.REQUIRED,
                Optional.empty()).toJson(), StandardCharsets.UTF_8);
        assertThat(JsonSchemas.validate(JsonSchemas.load("certification-report.schema.json"), cert)).isEmpty();
        assertThat(cert).contains("\"certified\" : false");
    }

    @Test
    void htmlLeadsWithTheRootCause() {
        String html = HtmlReport.render(SampleReports.blocked(), SampleReports.REGISTRY, Optional.empty());
        int cause = html.indexOf("id=\"root-cause\"");
        assertThat(cause).isPositive().isLessThan(html.indexOf("id=\"failures\""));
        assertThat(html).contains("root cause: prerequisite &#39;one request completes&#39;")
                .contains("3 blocked tests");
    }

    @Test
    void junitMatrixAndCompareNeverCountBlockedAsPassing() {
        RunReport r = SampleReports.blocked();
        String xml = JUnitXmlReport.render(r);
        assertThat(xml).contains("type=\"BLOCKED\"");
        assertThat(TraceabilityMatrix.build(SampleReports.REGISTRY, r.outcomes()).rows().stream()
                .filter(row -> row.id().equals("split.dev.11")).findFirst().orElseThrow().status())
                .isEqualTo(RequirementStatus.BLOCKED);
        assertThat(ReportComparison.compare(SampleReports.passing(), r).hasRegressions()).isTrue();
        assertThat(RootCause.of(r.outcomes())).singleElement().satisfies(c -> {
            assertThat(c.blocked()).hasSize(3);
            assertThat(c.failure()).contains("no used buffer");
        });
        assertThat(List.of(Verdict.values())).contains(Verdict.BLOCKED);
    }
}
