package org.virtiotck.reports.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.JsonSchemas;

class RunReportSchemaTest {

    private static final Schema SCHEMA = JsonSchemas.load("run-report.schema.json");

    private static List<Error> validate(String json) {
        return JsonSchemas.validate(SCHEMA, json);
    }

    @Test
    void generatedReportsMatchTheSchema() {
        assertThat(validate(json(RunReportTest.sample()))).isEmpty();
        RunReport unfinished = RunReport.of(RunReportTest.REGISTRY, RunReportTest.TOOL, RunReportTest.TARGET,
                Instant.parse("2026-05-01T10:00:00.000000001Z"), null, null, List.of(), List.of());
        assertThat(validate(json(unfinished))).isEmpty();
    }

    @Test
    void schemaRejectsDriftFromTheFormat() {
        String valid = json(RunReportTest.sample());
        assertThat(validate(valid.replace("\"schemaVersion\" : \"1\"", "\"schemaVersion\" : \"2\""))).isNotEmpty();
        assertThat(validate(valid.replace("\"verdict\" : \"PASS\"", "\"verdict\" : \"GREAT\""))).isNotEmpty();
        assertThat(validate(valid.replace("\"tool\" : {", "\"extra\" : 1, \"tool\" : {"))).isNotEmpty();
        assertThat(validate(valid.replace("\"waivedFrom\" : \"HANG\"", "\"waivedFrom\" : null")))
                .as("a WAIVED outcome must say what it was").isNotEmpty();
        assertThat(validate(valid.replace("\"startedAt\" : \"2026-05-01T10:00:00Z\"", "\"startedAt\" : \"noon\"")))
                .isNotEmpty();
        assertThat(validate(valid.replace("\"PASS\" : 1,", ""))).as("every verdict is counted").isNotEmpty();
    }

    private static String json(RunReport report) {
        return new String(report.toJson(), StandardCharsets.UTF_8);
    }
}
