package org.virtiotck.tck.adapter.qtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Path sock = dir.resolve("qtest.sock");
        Path img = dir.resolve("disk.raw");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        String accel = QemuTargetProvider.binaryFacts(ARM)[1];
        Process qemu = new ProcessBuilder(List.of(ARM, "-M", "virt", "-accel", accel, "-S", "-nodefaults",
                "-display", "none", "-monitor", "none", "-serial", "none", "-m", "128M",
                "-qtest", "unix:" + sock + ",server=on,wait=off",
                "-global", "virtio-mmio.force-legacy=false",
                "-drive", "if=none,id=d0,format=raw,file=" + img, "-device", "virtio-blk-device,drive=d0"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            for (int i = 0; i < 400 && !Files.exists(sock); i++) {
                Thread.sleep(25);
            }
            String uri = "qtest:unix:" + sock + "?base=0x0a003e00&ram=0x40000000+128M"
                    + "&irq=/machine/unattached/device%5B1%5D:47&image=" + img;
            Path out = dir.resolve("report");
            Path waivers = Path.of("..", "waivers", "qemu-7.2-modern.txt").toAbsolutePath().normalize();
            int code = Main.run("certify", "--target", uri, "--waivers", waivers.toString(), "--out", out.toString());
            RunReport report = RunReport.read(out.resolve("run-report.json"));
            assertThat(report.outcomes()).as("every suite ran").hasSizeGreaterThan(200);
            assertThat(report.outcomes()).filteredOn(o -> o.verdict() == Verdict.PASS).hasSizeGreaterThan(100);
            assertThat(report.outcomes()).noneMatch(o -> o.verdict() == Verdict.ERROR);
            assertThat(code).as("certify exit code (0 = certified)").isEqualTo(Main.CERTIFIED);
        } finally {
            qemu.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
