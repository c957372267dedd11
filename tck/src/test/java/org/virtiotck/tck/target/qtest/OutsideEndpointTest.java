package org.virtiotck.tck.target.qtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.RootCause;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.cli.Main;
import org.virtiotck.tck.junit.TckSession;
import org.virtiotck.tck.spi.Targets;

/**
 * A device behind a qtest endpoint the kit did not start ({@link ReferenceQtestServer}): the configuration-change
 * tests run through the endpoint's own resize command and are skipped without it, and an endpoint that stops
 * answering mid-run ends the run quickly with the rest BLOCKED by the target fault.
 */
class OutsideEndpointTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(Targets.TARGET_PROPERTY);
        System.clearProperty("virtio.reports.dir");
        System.clearProperty(TckSession.WAIVERS_PROPERTY);
        System.clearProperty("virtio.level");
    }

    private static TestOutcome outcome(RunReport r, String method) {
        return r.outcomes().stream().filter(o -> o.testId().endsWith("#" + method)).findFirst().orElseThrow();
    }

    @Test
    void configurationChangeTestsRunThroughTheEndpointsResizeCommand(@TempDir Path dir) throws Exception {
        try (ReferenceQtestServer server = new ReferenceQtestServer()) {
            Path with = dir.resolve("with");
            Main.run("certify", "--target", server.uri("&resize=" + ReferenceQtestServer.RESIZE + "%20{sectors}"),
                    "--test", "ConfigSpaceSuite#capacityChangeBumpsGenerationAndNotifies", "--out", with.toString());
            TestOutcome ran = outcome(RunReport.read(with.resolve("run-report.json")),
                    "capacityChangeBumpsGenerationAndNotifies");
            assertThat(ran.verdict()).as(ran.message()).isEqualTo(Verdict.PASS);
            assertThat(ran.requirementIds()).contains("mmio.dev.7");
        }
        // A second endpoint: the fake server serves one connection at a time, and the first run's session keeps its.
        try (ReferenceQtestServer server = new ReferenceQtestServer()) {
            Path without = dir.resolve("without");
            Main.run("certify", "--target", server.uri(""), "--test",
                    "ConfigSpaceSuite#capacityChangeBumpsGenerationAndNotifies", "--out", without.toString());
            TestOutcome skipped = outcome(RunReport.read(without.resolve("run-report.json")),
                    "capacityChangeBumpsGenerationAndNotifies");
            assertThat(skipped.verdict()).isEqualTo(Verdict.SKIP);
            assertThat(skipped.message()).contains("resize=CMD%20{sectors}");
        }
    }

    @Test
    void aResizeCommandWithoutTheSectorsPlaceholderIsAUsageError(@TempDir Path dir) throws Exception {
        try (ReferenceQtestServer server = new ReferenceQtestServer()) {
            int code = Main.run("certify", "--target", server.uri("&resize=myvmm_resize"), "--out", dir.toString());
            assertThat(code).isEqualTo(Main.USAGE);
        }
    }

    @Test
    void anEndpointThatStopsAnsweringBlocksTheRestOfTheRun(@TempDir Path dir) throws Exception {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ReferenceQtestServer server = new ReferenceQtestServer();
             PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            server.silenceAfter(40_000);
            System.setOut(capture);
            System.setErr(capture);
            int code;
            try {
                // -Dvirtio.test.qtest.timeout=10000 measures with the URI default instead of a short bound.
                String timeout = System.getProperty("virtio.test.qtest.timeout", "1000");
                code = Main.run("certify", "--target", server.uri("&timeout=" + timeout), "--out", dir.toString());
            } finally {
                System.setOut(savedOut);
                System.setErr(savedErr);
            }
            long afterFaultMs = (System.nanoTime() - server.silentSince()) / 1_000_000;
            System.out.println("outside endpoint went silent after " + server.commands() + " commands; the run ended "
                    + afterFaultMs + " ms later");
            assertThat(server.silentSince()).as("the endpoint went silent mid-run").isPositive();
            assertThat(code).isEqualTo(Main.NOT_CERTIFIED);
            RunReport r = RunReport.read(dir.resolve("run-report.json"));
            List<TestOutcome> all = r.outcomes();
            int firstHang = -1;
            for (int i = 0; i < all.size() && firstHang < 0; i++) {
                if (all.get(i).verdict() == Verdict.HANG) {
                    firstHang = i;
                }
            }
            assertThat(firstHang).as("the test that met the silent endpoint is a HANG").isPositive();
            assertThat(all.subList(0, firstHang)).filteredOn(o -> o.verdict() == Verdict.PASS).isNotEmpty();
            List<TestOutcome> rest = all.subList(firstHang + 1, all.size());
            assertThat(rest).as("every later test is BLOCKED by the target fault").isNotEmpty()
                    .allMatch(o -> o.verdict() == Verdict.BLOCKED);
            RootCause cause = RootCause.of(all).get(0);
            assertThat(cause.blocker()).contains("target fault");
            assertThat(cause.failure()).contains("reconnect attempts failed").contains("restart the program");
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("!! ROOT CAUSE: target fault");
            assertThat(afterFaultMs).as("generous guard only; the measured figure is printed").isLessThan(120_000);
        }
    }
}
