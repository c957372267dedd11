package org.virtiotck.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.reports.json.FuzzReport;

/**
 * The fuzzer's precision on a correct device behind a wire: the reference device served by {@code virtio-tck
 * serve} over qtest on stdio, completing every request asynchronously 1 ms after its notification, driven through
 * {@code qtest:exec:} (a fresh server process per target, so replays start from fresh devices). A correct device
 * must yield no finding: every complaint here would be an oracle mistake (the 10-minute version is in
 * fuzz/README.md).
 */
class ServedReferenceFuzzTest {

    static String servedUri(String target, int completeAfterMs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cmd = java + " -cp " + System.getProperty("java.class.path") + " org.virtiotck.tck.cli.Main serve"
                + " --target " + target + " --qtest stdio --complete-after-ms " + completeAfterMs;
        return "qtest:exec:" + cmd.replace("%", "%25").replace(" ", "%20").replace("?", "%3F")
                + "?base=0x0a003e00&ram=0x40000000+4M&timeout=20000";
    }

    @Test
    void aShortCampaignAgainstTheServedAsynchronousReferenceFindsNothing(@TempDir Path dir) throws Exception {
        String uri = servedUri("reference", 1);
        Campaign.Result r = new Campaign(CampaignConfig.of(uri, Duration.ofSeconds(25), null, 3)
                .withSettleMillis(500).withOut(dir)).run();
        assertThat(r.harnessError()).isNull();
        FuzzReport rep = r.report();
        assertThat(rep.findings()).as("findings against a correct device: %s", rep.findings()).isEmpty();
        assertThat(rep.execs()).isGreaterThan(100);
        assertThat(rep.roundTripsPerExec()).isGreaterThan(10);
        assertThat(SchemaSupport.validate(dir.resolve(FuzzReport.FILE_NAME))).isEmpty();
    }
}
