package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.campaign.FindingFile;
import org.virtiotck.fuzz.campaign.Merge;
import org.virtiotck.fuzz.campaign.Minimizer;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.reports.json.FuzzReport;

class CampaignTest {

    @Test
    void shortCampaignAgainstTheReferenceFindsNothingAndWritesAValidReport(@TempDir Path dir) throws Exception {
        Campaign.Result r = new Campaign(CampaignConfig.of("reference", Duration.ofSeconds(4), null, 11).withOut(dir))
                .run();
        assertThat(r.harnessError()).isNull();
        assertThat(r.report().findings()).as("findings: %s", r.report().findings()).isEmpty();
        assertThat(r.report().execs()).isGreaterThan(1000);
        assertThat(r.report().finished()).isTrue();
        assertThat(r.report().coverage().features()).isGreaterThan(50);
        assertThat(SchemaSupport.validate(dir.resolve(FuzzReport.FILE_NAME))).isEmpty();
    }

    @Test
    void findsDedupsAndMinimizesAOneByteOverrunAndReplayReproducesIt(@TempDir Path dir) throws Exception {
        CampaignConfig cfg = CampaignConfig.of("broken:overrun", Duration.ofSeconds(8), null, 5)
                .withTargetFactory(BrokenTargets::overrun).withOut(dir);
        Campaign.Result r = new Campaign(cfg).run();
        assertThat(r.harnessError()).isNull();
        List<FuzzReport.FindingEntry> canary = r.report().findings().stream()
                .filter(f -> f.signature().equals("canary:outside-writable")).toList();
        assertThat(canary).hasSize(1); // deduplicated by signature
        FuzzReport.FindingEntry f = canary.get(0);
        assertThat(f.hits()).isGreaterThan(1);
        assertThat(f.reproduced()).isTrue();
        assertThat(f.minimizedOps()).isLessThan(f.originalOps()).isLessThanOrEqualTo(30);
        assertThat(SchemaSupport.validate(dir.resolve(FuzzReport.FILE_NAME))).isEmpty();
        assertThat(dir.resolve("findings").resolve(f.regressionTest())).exists();

        List<FindingFile> files = FindingFile.readAny(dir.resolve("findings").resolve(f.id() + ".json"));
        try (Harness h = Harness.forTarget(BrokenTargets.overrun(), "broken:overrun", 0)) {
            Complaint v = new Minimizer(h, 0, Duration.ZERO).replay(files.get(0).program());
            assertThat(v).isNotNull();
            assertThat(v.signature()).isEqualTo("canary:outside-writable");
        }
        try (Harness h = Harness.forTarget(org.virtiotck.tck.spi.Targets.open("reference"), "reference", 0)) {
            assertThat(new Minimizer(h, 0, Duration.ZERO).replay(files.get(0).program())).isNull();
        }
    }

    @Test
    void findsAHangOnADescriptorLoopThroughTheGuard(@TempDir Path dir) throws Exception {
        CampaignConfig cfg = CampaignConfig.of("broken:hang", Duration.ofSeconds(8), null, 3)
                .withTargetFactory(() -> BrokenTargets.hangOnLoop(Duration.ofMillis(100)))
                .withMinimizeBudget(400, Duration.ofSeconds(6)).withOut(dir);
        Campaign.Result r = new Campaign(cfg).run();
        assertThat(r.harnessError()).isNull();
        assertThat(r.report().findings()).extracting(FuzzReport.FindingEntry::signature)
                .contains("fault:HUNG:notify");
        FuzzReport.FindingEntry f = r.report().findings().stream()
                .filter(x -> x.signature().equals("fault:HUNG:notify")).findFirst().orElseThrow();
        assertThat(f.hits()).isGreaterThan(1); // deduplicated
        // Known gap: minimizing hangs through GuardedTarget does not yet reliably re-verify (see fuzz/README.md).
    }

    @Test
    void theReportOnDiskKeepsFindingsWhileTheCampaignRuns(@TempDir Path dir) throws Exception {
        CampaignConfig cfg = CampaignConfig.of("broken:overrun", Duration.ofSeconds(30), null, 9)
                .withTargetFactory(BrokenTargets::overrun).withOut(dir);
        Campaign c = new Campaign(cfg);
        Thread t = Thread.ofPlatform().start(c::run);
        Path report = dir.resolve(FuzzReport.FILE_NAME);
        FuzzReport mid = null;
        long deadline = System.nanoTime() + 25_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(report)) {
                FuzzReport r = FuzzReport.read(report); // never torn: atomic replace
                if (!r.findings().isEmpty()) {
                    mid = r;
                    break;
                }
            }
            Thread.sleep(50);
        }
        c.stop(); // as if killed: the file already holds everything
        t.join();
        assertThat(mid).isNotNull();
        assertThat(mid.finished()).isFalse();
        assertThat(ProgramJson.fromTree(mid.findings().get(0).program()).ops()).isNotEmpty();
        assertThat(SchemaSupport.validate(report)).isEmpty();
    }

    @Test
    void shardsAreDeterministicAndDifferAndMergeCombinesThem(@TempDir Path dir) throws Exception {
        FuzzReport a1 = new Campaign(CampaignConfig.of("reference", null, 3000L, 77).withShard(0, 2)
                .withOut(dir.resolve("a1"))).run().report();
        FuzzReport a2 = new Campaign(CampaignConfig.of("reference", null, 3000L, 77).withShard(0, 2)).run().report();
        FuzzReport b = new Campaign(CampaignConfig.of("reference", null, 3000L, 77).withShard(1, 2)
                .withOut(dir.resolve("b"))).run().report();
        assertThat(a1.execs()).isEqualTo(3000);
        assertThat(a2.coverage()).isEqualTo(a1.coverage());
        assertThat(b.coverage().features()).isNotEqualTo(a1.coverage().features());
        assertThat(Campaign.jobSeed(77, 0, 2, 0)).isNotEqualTo(Campaign.jobSeed(77, 1, 2, 0));

        FuzzReport merged = Merge.mergeFiles(List.of(dir.resolve("a1"), dir.resolve("b")));
        assertThat(merged.execs()).isEqualTo(6000);
        assertThat(merged.mergedFrom()).hasSize(2);
        merged.write(dir.resolve("m").resolve(FuzzReport.FILE_NAME));
        assertThat(SchemaSupport.validate(dir.resolve("m").resolve(FuzzReport.FILE_NAME))).isEmpty();
    }
}
