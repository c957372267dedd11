package org.virtiotck.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.json.ReportFormatException;

/** A fuzzer campaign report becomes the HTML report's fuzz summary. */
class FuzzReportImportTest {

    private static final String REPORT = """
            {"schema":"virtio-tck/fuzz-report/1","target":{"uri":"qemu:aarch64-virt"},"seed":"7",
             "durationMillis":2000,"execs":5000,
             "series":[{"elapsedMillis":1000,"execs":2000,"execsPerSecond":2000.0,"coverage":10,"corpus":3,"findings":0},
                       {"elapsedMillis":2000,"execs":5000,"execsPerSecond":3000.0,"coverage":15,"corpus":4,"findings":1}],
             "findings":[{"id":"f0000abcd","kind":"CANARY","summary":"wrote past a buffer","requirementIds":["split.dev.3"],
                          "foundAtMillis":1500,"replay":"fuzz replay findings/f0000abcd.json --target X"}]}
            """;

    @Test
    void seriesAndFindingsAreCarriedOver(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("fuzz-report.json"), REPORT);
        FuzzSummary s = FuzzSummary.fromFuzzReport(file);
        assertThat(s.target()).isEqualTo("qemu:aarch64-virt");
        assertThat(s.execs()).isEqualTo(5000);
        assertThat(s.execsPerSecond()).extracting(FuzzSummary.Sample::value).containsExactly(2000.0, 3000.0);
        assertThat(s.findings()).extracting(FuzzSummary.Sample::value).containsExactly(0.0, 1.0);
        assertThat(s.findingList()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("CANARY");
            assertThat(f.requirementIds()).containsExactly("split.dev.3");
        });
    }

    @Test
    void otherFilesAreRejectedWithOneLine(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("a.json"), "{ nope");
        Path otherJson = Files.writeString(dir.resolve("b.json"), "{\"schemaVersion\":\"1\"}");
        assertThatThrownBy(() -> FuzzSummary.fromFuzzReport(notJson)).isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("not a JSON fuzz report");
        assertThatThrownBy(() -> FuzzSummary.fromFuzzReport(otherJson)).isInstanceOf(ReportFormatException.class)
                .hasMessageContaining("not a fuzz report");
    }
}
