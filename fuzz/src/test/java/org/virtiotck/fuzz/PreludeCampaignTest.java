package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.campaign.FindingFile;
import org.virtiotck.fuzz.campaign.Minimizer;
import org.virtiotck.fuzz.cli.FuzzMain;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.reports.json.FuzzReport;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Targets;

/**
 * A campaign against {@code broken-test:crash-after-wide-config-read} (a device that crashes at a QueueNotify only
 * once an earlier program since its power-on read the configuration space 8 bytes wide): the crash never
 * reproduces alone, so without the jobs' history it could only be flaky. With it, it is a finding whose prelude is
 * the one program it needs, written to the report and the finding file, and {@code fuzz replay} of that file
 * reproduces it.
 */
class PreludeCampaignTest {
    private static final String URI = "broken-test:crash-after-wide-config-read";
    private static final String CRASH = "fault:CRASHED:notify";

    private static boolean readsWide(Program p) {
        return p.ops().stream().anyMatch(op -> op instanceof Op.Read r && r.offset() >= MmioRegister.CONFIG
                && r.width() == 8);
    }

    @Test
    void aCrashThatNeedsAnEarlierProgramBecomesAReplayableFindingWithAPrelude(@TempDir Path dir) throws Exception {
        CampaignConfig cfg = CampaignConfig.of(URI, null, 1500L, 7).withSettleMillis(0)
                .withMinimizeBudget(600, Duration.ofSeconds(20)).withOut(dir);
        Campaign.Result r = new Campaign(cfg).run();
        assertThat(r.harnessError()).isNull();
        FuzzReport.FindingEntry f = r.report().findings().stream().filter(x -> x.signature().equals(CRASH))
                .findFirst().orElseThrow(() -> new AssertionError("no " + CRASH + " finding: " + r.report().flaky()));
        assertThat(r.report().flaky()).extracting(FuzzReport.FlakyEntry::signature).doesNotContain(CRASH);
        assertThat(f.prelude()).as("the one program it needs").hasSize(1);
        assertThat(f.summary()).contains("needs 1 earlier program(s)");
        assertThat(SchemaSupport.validate(dir.resolve(FuzzReport.FILE_NAME))).isEmpty();

        Path file = dir.resolve("findings").resolve(f.id() + ".json");
        FindingFile finding = FindingFile.readAny(file).get(0);
        assertThat(finding.prelude()).hasSize(1);
        assertThat(readsWide(finding.prelude().get(0))).isTrue();
        try (Harness h = Harness.forTarget(Targets.open(URI), URI, 0)) {
            assertThat(new Minimizer(h, 0, Duration.ZERO).replay(finding.program())).as("alone").isNull();
        }
        assertThat(exportedTestFails(dir.resolve("findings").resolve(f.regressionTest()), dir.resolve("classes")))
                .as("the exported regression test fails while the finding reproduces").isTrue();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = FuzzMain.run(new String[] {"replay", file.toString(), "--target", URI, "--settle-ms", "0"}, out,
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).as(bytes::toString).isEqualTo(FuzzMain.FINDINGS);
        assertThat(bytes.toString()).startsWith("prelude: 1 program(s)")
                .contains("REPRODUCED " + f.id() + ": " + CRASH);

        Path again = dir.resolve("again.json");
        assertThat(FuzzMain.run(new String[] {"minimize", file.toString(), "--target", URI, "--settle-ms", "0",
                "--out", again.toString()}, out, new PrintStream(new ByteArrayOutputStream())))
                .isEqualTo(FuzzMain.FINDINGS);
        assertThat(FindingFile.readAny(again).get(0).prelude()).as("fuzz minimize keeps the prelude")
                .isEqualTo(finding.prelude());
    }

    /** Compiles the exported test and runs its test method: whether it failed (with an assertion). */
    private static boolean exportedTestFails(Path source, Path classes) throws Exception {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                source.toString());
        assertThat(rc).as("javac of the exported test").isZero();
        String name = source.getFileName().toString().replace(".java", "");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                PreludeCampaignTest.class.getClassLoader())) {
            Class<?> test = loader.loadClass(name);
            Method m = test.getDeclaredMethod("findingNoLongerReproduces");
            m.setAccessible(true);
            var ctor = test.getDeclaredConstructor();
            ctor.setAccessible(true);
            try {
                m.invoke(ctor.newInstance());
                return false;
            } catch (InvocationTargetException e) {
                assertThat(e.getCause()).isInstanceOf(AssertionError.class).hasMessageContaining(CRASH);
                return true;
            }
        }
    }

    @Test
    void aCrashFlakyAtItsFirstHitIsVerifiedAgainAtALaterOneWithAnotherHistory() {
        // With one earlier program kept, seed 6 first hits the crash after a program that did not read wide (0 of
        // 3 either way: flaky), and later right after one that did.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CampaignConfig cfg = CampaignConfig.of(URI, null, 1500L, 6).withSettleMillis(0).withHistory(1)
                .withMinimizeBudget(600, Duration.ofSeconds(20))
                .withProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        FuzzReport report = new Campaign(cfg).run().report();
        assertThat(bytes.toString()).as("seed 6's first verification")
                .contains("flaky (not a finding) " + CRASH + ": reproduced 0/3 alone and 0/3 after the 1 program(s)");
        FuzzReport.FindingEntry f = report.findings().stream().filter(x -> x.signature().equals(CRASH)).findFirst()
                .orElseThrow(() -> new AssertionError(bytes.toString()));
        assertThat(f.prelude()).hasSize(1);
        assertThat(report.flaky()).extracting(FuzzReport.FlakyEntry::signature).doesNotContain(CRASH);
    }

    @Test
    void withoutAHistoryTheSameCrashIsOnlyFlaky(@TempDir Path dir) throws Exception {
        CampaignConfig cfg = CampaignConfig.of(URI, null, 1500L, 7).withSettleMillis(0).withHistory(0)
                .withMinimizeBudget(600, Duration.ofSeconds(20)).withOut(dir);
        FuzzReport report = new Campaign(cfg).run().report();
        assertThat(report.findings()).extracting(FuzzReport.FindingEntry::signature).doesNotContain(CRASH);
        FuzzReport.FlakyEntry f = report.flaky().stream().filter(x -> x.signature().equals(CRASH)).findFirst()
                .orElseThrow();
        assertThat(f.reproducedReplays()).isZero();
        assertThat(f.prelude()).isNull();
        assertThat(f.replays()).isEqualTo(3);
    }
}
