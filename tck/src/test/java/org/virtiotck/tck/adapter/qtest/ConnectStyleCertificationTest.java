package org.virtiotck.tck.adapter.qtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.cli.Main;

/**
 * A qtest endpoint started outside the kit (QEMU listening on a Unix socket, as another project's CI would start
 * its device) is certified end to end through a connect-style {@code qtest:unix:} URI: every suite, the committed
 * QEMU waivers, exit code 0.
 */
@Tag("qemu")
class ConnectStyleCertificationTest {
    private static final String ARM = "qemu-system-aarch64";

    @Test
    void qemuOnAUnixSocketIsCertifiedThroughTheConnectStyleUri(@TempDir Path dir) throws Exception {
        QtestTargetTest.needs(ARM);
        try (OutsideQemu qemu = OutsideQemu.start(dir, 64L << 20, "-m", "128M")) {
            String uri = qemu.uri();
            Path out = dir.resolve("report");
            Path waivers = Path.of("..", "waivers", "qemu-7.2-modern.txt").toAbsolutePath().normalize();
            int code = Main.run("certify", "--target", uri, "--waivers", waivers.toString(), "--out", out.toString());
            RunReport report = RunReport.read(out.resolve("run-report.json"));
            assertThat(report.outcomes()).as("every suite ran").hasSizeGreaterThan(200);
            assertThat(report.outcomes()).filteredOn(o -> o.verdict() == Verdict.PASS).hasSizeGreaterThan(100);
            assertThat(report.outcomes()).noneMatch(o -> o.verdict() == Verdict.ERROR);
            assertThat(code).as("certify exit code (0 = certified)").isEqualTo(Main.CERTIFIED);
        }
    }
}
