package org.virtiotck.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.Fixtures.outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class RunReportTest {

    static final RequirementRegistry REGISTRY = RequirementRegistry.load();
    static final RunReport.Tool TOOL = new RunReport.Tool("virtio-tck", "0.1.0-SNAPSHOT");
    static final RunReport.Target TARGET = new RunReport.Target("reference:modern", "reference device", "0.1");

    static RunReport sample() {
        List<TestOutcome> outcomes = List.of(
                outcome("MmioIdentityTest#magic", Verdict.PASS, "mmio.dev.1"),
                outcome("MmioIdentityTest#version", Verdict.FAIL, "mmio.dev.2"),
                outcome("ResetTest#clears", Verdict.HANG, "mmio.dev.5", "mmio.dev.6").waive("slow target"),
                outcome("ZonedTest#append", Verdict.SKIP, "blk.dev.48"),
                new TestOutcome("FuzzTest#chains[seed=42]", "chain fuzzing", "split", List.of("split.dev.1"),
                        Verdict.CRASH, org.virtiotck.reports.result.Severity.CRITICAL, "no crash",
                        "SIGSEGV in device", "", "42", "tck replay --seed 42", 1234, "reference:modern"));
        return RunReport.of(REGISTRY, TOOL, TARGET, Instant.parse("2026-05-01T10:00:00Z"),
                Instant.parse("2026-05-01T10:05:00.123Z"), "42", outcomes, List.of("mmio.drv.4: 16-bit access"));
    }

    @Test
    void computesCountsAndMatrixSummary() {
        RunReport report = sample();
        assertThat(report.schemaVersion()).isEqualTo("1");
        assertThat(report.verdictCounts()).containsEntry(Verdict.PASS, 1).containsEntry(Verdict.FAIL, 1)
                .containsEntry(Verdict.WAIVED, 1).containsEntry(Verdict.SKIP, 1).containsEntry(Verdict.CRASH, 1)
                .containsEntry(Verdict.HANG, 0).containsEntry(Verdict.ERROR, 0);
        assertThat(report.verdictCounts().keySet()).containsExactly(Verdict.values());
        MatrixSummary m = report.matrix();
        assertThat(m.requirementsByStatus()).containsEntry(RequirementStatus.PASS, 1)
                .containsEntry(RequirementStatus.WAIVED, 2).containsEntry(RequirementStatus.CRASH, 1)
                .containsEntry(RequirementStatus.NOT_COVERED, 359 - 6);
        assertThat(m.coverageByArea().covered()).as("mmio.dev.1/2/5/6 and split.dev.1").isEqualTo(5);
        assertThat(m.coverageByArea().notRunIds()).containsExactly("blk.dev.48");
        assertThat(m.coverageByFamily().testable()).isEqualTo(144);
    }

    @Test
    void roundTripsThroughJson(@TempDir Path dir) throws IOException {
        RunReport report = sample();
        Path file = dir.resolve("report.json");
        report.write(file);
        assertThat(RunReport.read(file)).isEqualTo(report);
        String json = Files.readString(file);
        assertThat(json).contains("\"startedAt\" : \"2026-05-01T10:00:00Z\"")
                .contains("\"waivedFrom\" : \"HANG\"")
                .contains("\"seed\" : null");
    }

    @Test
    void unfinishedReportsHaveNullFinishedAt(@TempDir Path dir) throws IOException {
        RunReport report = RunReport.of(REGISTRY, TOOL, TARGET, Instant.EPOCH, null, null, List.of(), List.of());
        Path file = dir.resolve("r.json");
        report.write(file);
        RunReport back = RunReport.read(file);
        assertThat(back.finishedAt()).isNull();
        assertThat(back.seed()).isNull();
        assertThat(back.outcomes()).isEmpty();
    }

    @Test
    void malformedFilesGiveOneLineErrors(@TempDir Path dir) throws IOException {
        assertReadError(dir, "{\"schemaVersion\": \"1\", ", "not a valid run report (line 1, column 24)");
        assertReadError(dir, "[1, 2]", "not a valid run report (line 1, column 1)");
        assertReadError(dir, "null", "the file holds JSON null");
        assertReadError(dir, "{\"schemaVersion\": \"1\"}", "at tool (line 1, column 22): Missing creator property 'tool' (index 1)");
        String valid = new String(sample().toJson(), StandardCharsets.UTF_8);
        assertReadError(dir, valid.replace("\"schemaVersion\" : \"1\"", "\"schemaVersion\" : \"2\""),
                "unsupported schemaVersion \"2\", this reader understands \"1\"");
        assertReadError(dir, valid.replace("\"verdict\" : \"PASS\"", "\"verdict\" : \"GREAT\""),
                "at outcomes[0].verdict");
        assertReadError(dir, valid.replace("2026-05-01T10:00:00Z", "yesterday"), "could not be parsed");
        assertReadError(dir, valid.replace("\"durationMillis\" : 1,", "\"durationMillis\" : -1,"),
                "durationMillis < 0: -1");
    }

    private static void assertReadError(Path dir, String content, String fragment) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, content);
        assertThatThrownBy(() -> RunReport.read(file)).isInstanceOf(ReportFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError(@TempDir Path dir) {
        assertThatThrownBy(() -> RunReport.read(dir.resolve("none.json")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
