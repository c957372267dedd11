package org.virtiotck.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.JsonSchemas;
import org.virtiotck.reports.html.FuzzSummary;

/** The one model of the fuzz report: what it writes keeps the published schema, and what it reads it wrote. */
class FuzzReportTest {

    private static FuzzReport report() throws IOException {
        var program = FuzzReport.MAPPER.readTree("{\"ops\":[{\"op\":\"read\",\"offset\":0,\"width\":4}]}");
        var finding = new FuzzReport.FindingEntry("f00000001", "CANARY:split.dev.3", "CANARY", "wrote past a buffer",
                List.of("split.dev.3"), 1500, 4000, 2, true, 9, 1, 40, program, "cs1:AQID", "fuzz replay x", "T.java",
                "CRITICAL", 3, 3, null);
        var afterOthers = new FuzzReport.FindingEntry("f00000002", "fault:CRASHED:notify", "CRASHED", "aborted",
                List.of("status.dev.3"), 1700, 4100, 1, true, 30, 1, 60, program, "cs1:AQID", "fuzz replay y", "U.java",
                "HIGH", 3, 3, List.of(program, program));
        var flaky = new FuzzReport.FlakyEntry("HUNG:x", "HUNG", "slow", List.of("split.dev.1"), "HIGH", 1, 3, 1, 0.333,
                program, null, null);
        var flakyAfterOthers = new FuzzReport.FlakyEntry("fault:CRASHED:read", "CRASHED", "aborted",
                List.of("status.dev.3"), "HIGH", 2, 3, 0, 0.667, program, 2, List.of(program));
        var waived = new FuzzReport.WaivedEntry("DIFF:y", "DIFF", "known", List.of("blk.dev.9"), "MEDIUM", 4, "why");
        return new FuzzReport(FuzzReport.SCHEMA, new FuzzReport.Tool("virtio-tck-fuzz", "1", "25"),
                new FuzzReport.TargetDesc("reference", "ref", "1", Map.of("queues", "1")),
                new FuzzReport.OracleDesc("reference", "1", "modern"), "7", new FuzzReport.Shard(0, 1), 1,
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:02Z", true, 2000, 2000L, null, 5000, 2500.0,
                new FuzzReport.CoverageDesc(15, 4, List.of("split.drv.1"), 0),
                List.of(new FuzzReport.Sample(1000, 2000, 2000.0, 10, 3, 0),
                        new FuzzReport.Sample(2000, 5000, 3000.0, 15, 4, 1)),
                List.of(finding, afterOthers), "fuzz --seed 7", null, 12.5, 300, List.of(flaky, flakyAfterOthers),
                List.of(waived));
    }

    @Test
    void writtenReportKeepsTheSchemaAndReadsBack(@TempDir Path dir) throws IOException {
        FuzzReport r = report();
        Path file = dir.resolve(FuzzReport.FILE_NAME);
        r.write(file);
        assertThat(JsonSchemas.validate(JsonSchemas.load("fuzz-report.schema.json"),
                Files.readString(file, StandardCharsets.UTF_8))).isEmpty();
        assertThat(FuzzReport.read(file)).isEqualTo(r);
    }

    @Test
    void aPreludeIsWrittenOnlyWhereThereIsOne() throws IOException {
        var tree = FuzzReport.MAPPER.readTree(report().toJson());
        assertThat(tree.get("findings").get(0).has("prelude")).isFalse(); // files of earlier versions stay valid
        assertThat(tree.get("findings").get(1).get("prelude")).hasSize(2);
        assertThat(tree.get("flaky").get(0).has("prelude")).isFalse();
        assertThat(tree.get("flaky").get(0).has("preludeReproducedReplays")).isFalse();
        assertThat(tree.get("flaky").get(1).get("prelude")).hasSize(1);
        assertThat(tree.get("flaky").get(1).get("preludeReproducedReplays").asInt()).isEqualTo(2);
    }

    @Test
    void theHtmlSummaryCondensesTheSameModel() throws IOException {
        FuzzSummary s = FuzzSummary.of(report());
        assertThat(s.target()).isEqualTo("reference");
        assertThat(s.seed()).isEqualTo("7");
        assertThat(s.coverage()).extracting(FuzzSummary.Sample::value).containsExactly(10.0, 15.0);
        assertThat(s.findingList()).extracting(FuzzSummary.Finding::id, FuzzSummary.Finding::reproducer)
                .containsExactly(tuple("f00000001", "fuzz replay x"), tuple("f00000002", "fuzz replay y"));
    }

    @Test
    void aJsonFileOfAnotherSchemaIsNotAFuzzReport(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("r.json"), "{\"schema\":\"virtio-tck/run-report/1\"}");
        assertThatThrownBy(() -> FuzzReport.read(other)).isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("not a fuzz report");
    }
}
