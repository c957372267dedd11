package org.virtiotck.tck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.junit.RunSettings;
import org.virtiotck.tck.spi.Targets;

/** The CLI's exit codes and reports. */
class MainTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(Targets.TARGET_PROPERTY);
        System.clearProperty("virtio.reports.dir");
        System.clearProperty(RunSettings.WAIVERS);
    }

    @Test
    void certifyingOneSuiteOfTheReferenceDeviceExitsZeroAndWritesReports(@TempDir Path out) throws IOException {
        int code = Main.run("certify", "--target", "reference", "--out", out.toString(),
                "--test", "IdentificationSuite");
        assertThat(code).isEqualTo(Main.CERTIFIED);
        RunReport report = RunReport.read(out.resolve("run-report.json"));
        assertThat(report.outcomes()).isNotEmpty()
                .allMatch(o -> o.verdict() == Verdict.PASS || o.verdict() == Verdict.SKIP);
        assertThat(out.resolve("matrix.txt")).exists();
        assertThat(out.resolve("report.html")).content().contains("CERTIFIED").contains("mmio.dev.1");
        assertThat(out.resolve("junit.xml")).content().contains("<testsuite");
        assertThat(org.virtiotck.reports.cert.CertificationReport.read(out.resolve("certification.json")).certified())
                .isTrue();
    }

    @Test
    void compareExitsOneOnARegressionAndZeroOtherwise(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good");
        Path bad = dir.resolve("bad");
        assertThat(Main.run("certify", "--target", "reference", "--out", good.toString(),
                "--test", "IdentificationSuite#magicValueReadsVirtInLittleEndian")).isEqualTo(Main.CERTIFIED);
        RunReport passing = RunReport.read(good.resolve("run-report.json"));
        var failing = passing.outcomes().stream().map(o -> new org.virtiotck.reports.result.TestOutcome(
                o.testId(), o.displayName(), o.suite(), o.requirementIds(), Verdict.FAIL,
                org.virtiotck.reports.result.Severity.MEDIUM, "0x74726976", "0x0", "broken", null, null, 0,
                o.targetUri())).toList();
        Files.createDirectories(bad);
        RunReport.of(org.virtiotck.reports.RequirementRegistry.load(), passing.tool(), passing.target(),
                passing.startedAt(), passing.finishedAt(), null, failing, java.util.List.of())
                .write(bad.resolve("run-report.json"));
        String oldR = good.resolve("run-report.json").toString();
        String newR = bad.resolve("run-report.json").toString();
        assertThat(Main.run("reports", "compare", oldR, newR)).isEqualTo(Main.NOT_CERTIFIED);
        assertThat(Main.run("reports", "compare", oldR, oldR)).isEqualTo(Main.CERTIFIED);
        assertThat(Main.run("reports", "compare", oldR, dir.resolve("nope.json").toString())).isEqualTo(Main.USAGE);
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path out) {
        assertThat(Main.run("certify", "--target", "nosuch", "--out", out.toString())).isEqualTo(Main.USAGE);
        assertThat(Main.run("certify", "--target", "reference:?bogus=1", "--out", out.toString()))
                .isEqualTo(Main.USAGE);
        assertThat(Main.run("certify", "--nonsense")).isEqualTo(Main.USAGE);
        assertThat(Main.run("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(Main.run("explain", "no.such.1")).isEqualTo(Main.USAGE);
    }

    @Test
    void unreadableOrMalformedWaiverFilesExitTwo(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.txt");
        assertThat(Main.run("certify", "--out", dir.toString(), "--waivers", missing.toString()))
                .isEqualTo(Main.USAGE);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "mmio.dev.999 : no such requirement\n");
        assertThat(Main.run("certify", "--out", dir.toString(), "--waivers", bad.toString()))
                .isEqualTo(Main.USAGE);
    }

    @Test
    void explainNamesTheTestsOfARequirement() {
        assertThat(Main.run("explain", "mmio.dev.1")).isEqualTo(Main.CERTIFIED);
        assertThat(SuiteCatalog.testsFor("mmio.dev.1")).contains("IdentificationSuite#magicValueReadsVirtInLittleEndian");
    }
}
