package org.virtiotck.reports.cert;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.JsonSchemas;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;

class CertificationReportTest {

    private static final Schema SCHEMA = JsonSchemas.load("certification-report.schema.json");

    private static List<Error> validate(String json) {
        return JsonSchemas.validate(SCHEMA, json);
    }

    private static String json(CertificationReport r) {
        return new String(r.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void reportsValidateAgainstTheSchema() {
        for (CertificationLevel level : CertificationLevel.values()) {
            assertThat(validate(json(CertificationReport.of(SampleReports.failing(), SampleReports.REGISTRY, level,
                    Optional.of(Path.of("out/run-report.json")))))).as(level.name()).isEmpty();
            assertThat(validate(json(CertificationReport.of(SampleReports.passing(), SampleReports.REGISTRY, level,
                    Optional.empty())))).as(level.name()).isEmpty();
        }
        RunReport unfinished = RunReport.of(SampleReports.REGISTRY, SampleReports.TOOL, SampleReports.TARGET,
                SampleReports.START, null, null, List.of(), List.of());
        assertThat(validate(json(CertificationReport.of(unfinished, SampleReports.REGISTRY,
                CertificationLevel.REQUIRED, Optional.empty())))).isEmpty();
    }

    @Test
    void schemaRejectsDrift() {
        String valid = json(CertificationReport.of(SampleReports.failing(), SampleReports.REGISTRY,
                CertificationLevel.REQUIRED, Optional.empty()));
        assertThat(validate(valid.replace("\"level\" : \"REQUIRED\"", "\"level\" : \"GOLD\""))).isNotEmpty();
        assertThat(validate(valid.replace("\"schemaVersion\" : \"1\"", "\"schemaVersion\" : \"2\""))).isNotEmpty();
        assertThat(validate(valid.replace("\"certified\" : false", "\"certified\" : true")))
                .as("certified with blocking outcomes").isNotEmpty();
        assertThat(validate(valid.replace("\"tool\" : {", "\"extra\" : 1, \"tool\" : {"))).isNotEmpty();
    }

    @Test
    void contentMatchesTheEvaluation(@TempDir Path dir) throws IOException {
        CertificationReport r = CertificationReport.of(SampleReports.failing(), SampleReports.REGISTRY,
                CertificationLevel.REQUIRED, Optional.of(Path.of("run-report.json")));
        assertThat(r.certified()).isFalse();
        assertThat(r.certifiedAt()).containsEntry(CertificationLevel.REQUIRED, false)
                .containsEntry(CertificationLevel.FULL, false);
        assertThat(r.blocking()).extracting(CertificationReport.BlockingOutcome::verdict)
                .containsExactly(Verdict.FAIL, Verdict.CRASH, Verdict.ERROR);
        assertThat(r.blockingRequirementIds()).containsExactly("split.dev.1", "mmio.dev.2", "blk.dev.3");
        assertThat(r.counts().verdicts()).containsEntry(Verdict.PASS, 7).containsEntry(Verdict.WAIVED, 1);
        assertThat(r.counts().byLevel().get(CertificationLevel.RECOMMENDED).blocking()).isEqualTo(1);
        assertThat(r.counts().byLevel().values().stream().mapToInt(CertificationReport.LevelCounts::outcomes).sum())
                .isEqualTo(r.outcomes().size()).isEqualTo(14);
        assertThat(r.driverViolations()).isEqualTo(1);
        assertThat(r.runReport()).isEqualTo("run-report.json");

        Path file = dir.resolve("certification.json");
        r.write(file);
        assertThat(CertificationReport.read(file)).isEqualTo(r);
        assertThat(Files.readString(file)).contains("\"blockingRequirementIds\"");

        CertificationReport ok = CertificationReport.of(SampleReports.passing(), SampleReports.REGISTRY,
                CertificationLevel.FULL, Optional.empty());
        assertThat(ok.certified()).isTrue();
        assertThat(ok.certifiedAt()).containsValues(true, true, true);
        assertThat(ok.blocking()).isEmpty();
    }
}
