package org.virtiotck.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.Fixtures.outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.result.Verdict;

class IncrementalReportWriterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void theFileIsAValidReportAfterEveryStep(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/report.json");
        var writer = IncrementalReportWriter.start(file, RunReportTest.REGISTRY, RunReportTest.TOOL,
                RunReportTest.TARGET, "7", CLOCK);
        RunReport initial = RunReport.read(file);
        assertThat(initial.outcomes()).isEmpty();
        assertThat(initial.finishedAt()).isNull();
        assertThat(initial.seed()).isEqualTo("7");

        writer.add(outcome("A#one", Verdict.PASS, "mmio.dev.1"));
        assertThat(RunReport.read(file).outcomes()).extracting(o -> o.testId()).containsExactly("A#one");
        writer.add(outcome("A#two", Verdict.FAIL, "mmio.dev.2"));
        writer.addDriverViolation("mmio.drv.4: 8-bit read of InterruptStatus");
        RunReport partial = RunReport.read(file);
        assertThat(partial.outcomes()).hasSize(2);
        assertThat(partial.verdictCounts()).containsEntry(Verdict.FAIL, 1);
        assertThat(partial.matrix().coverageByArea().covered()).isEqualTo(2);
        assertThat(partial.driverViolations()).containsExactly("mmio.drv.4: 8-bit read of InterruptStatus");
        assertThat(partial.finishedAt()).isNull();
        assertThat(writer.current()).isEqualTo(partial);

        RunReport done = writer.finish();
        assertThat(done.finishedAt()).isEqualTo(CLOCK.instant());
        assertThat(RunReport.read(file)).isEqualTo(done);
        assertThat(writer.finish()).isSameAs(done);
        assertThatThrownBy(() -> writer.add(outcome("A#late", Verdict.PASS)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already finished");
    }

    @Test
    void closeFinishesTheReport(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        try (var writer = IncrementalReportWriter.start(file, RunReportTest.REGISTRY, RunReportTest.TOOL,
                RunReportTest.TARGET, null, CLOCK)) {
            writer.add(outcome("A#one", Verdict.SKIP, "blk.dev.1"));
        }
        assertThat(RunReport.read(file).finishedAt()).isNotNull();
    }

    @Test
    void anUnwritablePathFailsAtStart(@TempDir Path dir) throws IOException {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "x");
        assertThatThrownBy(() -> IncrementalReportWriter.start(blocker.resolve("report.json"),
                RunReportTest.REGISTRY, RunReportTest.TOOL, RunReportTest.TARGET, null, CLOCK))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aFewHundredOutcomesStayCheap(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        long start = System.nanoTime();
        try (var writer = IncrementalReportWriter.start(file, RunReportTest.REGISTRY, RunReportTest.TOOL,
                RunReportTest.TARGET, null, CLOCK)) {
            for (int i = 0; i < 400; i++) {
                writer.add(outcome("Many#t" + i, Verdict.PASS, "mmio.dev.1", "blk.dev.27"));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(RunReport.read(file).outcomes()).hasSize(400);
        assertThat(elapsed).as("400 atomic rewrites").isLessThan(Duration.ofSeconds(30));
    }
}
