package org.virtiotck.tck.target.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.tck.target.qtest.LaunchedSocketLink;
import org.virtiotck.tck.target.qtest.QtestConnection;

/**
 * The agent itself, booted in QEMU (TCG) on each architecture and spoken to line by line: its hello, register
 * accesses, guest memory, and an error line - never a hang - for unknown or malformed commands, memory it may not
 * touch, and register addresses that fault (data abort; #PF and #GP).
 */
class AgentProtocolTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"aarch64", "x86_64"})
    void speaksTheQtestSubsetAndAnswersEveryBadLineWithAnError(String arch) throws Exception {
        AgentTestSupport.requireAgent(arch);
        LaunchedSocketLink link = LaunchedSocketLink.start(AgentTestSupport.launch(arch, dir, "serial"),
                dir.resolve("stderr.txt"), UnixDomainSocketAddress.of(dir.resolve("serial.sock")), 30_000);
        QtestConnection conn = null;
        try {
            AgentHello hello = AgentHello.parse(AgentHandshake.run(link, 30_000));
            assertThat(hello.arch()).isEqualTo(arch);
            assertThat(hello.devices()).hasSize(1);
            AgentHello.Device dev = hello.devices().getFirst();
            assertThat(dev.deviceId()).isEqualTo(2);
            assertThat(dev.version()).isEqualTo(2);
            assertThat(dev.base()).isEqualTo(arch.equals("aarch64") ? 0x0a00_3e00L : 0xfeb0_2e00L);
            long ram = hello.freeRam().base();
            assertThat(hello.freeRam().base()).isGreaterThanOrEqualTo(hello.image().end());

            conn = new QtestConnection(link, 10_000);
            long base = dev.base();
            assertThat(conn.command("readl 0x" + Long.toHexString(base))).isEqualTo("OK 0x0000000074726976");
            assertThat(conn.command("readl " + base)).as("decimal address").isEqualTo("OK 0x0000000074726976");
            assertThat(conn.command("readb 0x" + Long.toHexString(base + 0x100)))
                    .as("a byte of the config space (capacity, 64 MiB = 0x20000 sectors)").isEqualTo("OK 0x0000000000000000");
            assertThat(conn.command("readl 0x" + Long.toHexString(base + 0x100))).isEqualTo("OK 0x0000000000020000");
            assertThat(conn.command("writel 0x" + Long.toHexString(base + 0x70) + " 0x1")).isEqualTo("OK");
            assertThat(conn.command("readl 0x" + Long.toHexString(base + 0x70))).isEqualTo("OK 0x0000000000000001");
            assertThat(conn.command("writel 0x" + Long.toHexString(base + 0x70) + " 0")).isEqualTo("OK");

            String at = "0x" + Long.toHexString(ram + 0x1000);
            assertThat(conn.command("b64write " + at + " 5 AQIDBAU=")).isEqualTo("OK");
            assertThat(conn.command("b64read " + at + " 5")).isEqualTo("OK AQIDBAU=");
            assertThat(conn.command("read " + at + " 5")).isEqualTo("OK 0x0102030405");
            assertThat(conn.command("write " + at + " 2 0xbeef")).isEqualTo("OK");
            assertThat(conn.command("read " + at + " 3")).isEqualTo("OK 0xbeef03");

            assertThat(conn.command("bogus 1")).isEqualTo("FAIL Unknown command 'bogus'");
            assertThat(conn.command("readl")).startsWith("FAIL usage: readb|readw|readl|readq ADDR");
            assertThat(conn.command("readl 0xzz")).startsWith("FAIL usage").contains("'0xzz'");
            assertThat(conn.command("writel 0x10")).startsWith("FAIL usage");
            assertThat(conn.command("readl 1 2 3 4 5")).startsWith("FAIL too many words");
            assertThat(conn.command("b64write " + at + " 3 !!!!")).startsWith("FAIL b64write data is not base64");
            assertThat(conn.command("b64write " + at + " 4 AQID")).startsWith("FAIL b64write data length does not match");
            assertThat(conn.command("write " + at + " 2 0xbe")).startsWith("FAIL write data length does not match");
            assertThat(conn.command("b64read 0x" + Long.toHexString(hello.image().base()) + " 4"))
                    .as("the agent's own image is not free RAM").startsWith("FAIL guest memory range is not free RAM");
            assertThat(conn.command("b64read 0x" + Long.toHexString(hello.freeRam().end()) + " 4"))
                    .startsWith("FAIL guest memory range is not free RAM");

            if (arch.equals("aarch64")) {
                assertThat(conn.command("readl 0x100000000000"))
                        .startsWith("FAIL readl 0x100000000000 faulted: data abort").contains("ESR 0x96");
                assertThat(conn.command("writeq 0xffff000000000000 0x1"))
                        .startsWith("FAIL writeq 0xffff000000000000 faulted: data abort");
            } else {
                assertThat(conn.command("readl 0x100000000000"))
                        .isEqualTo("FAIL readl 0x100000000000 faulted: page fault #PF vector e error 0x0 CR2 0x100000000000");
                assertThat(conn.command("writew 0x8000000000000000 1"))
                        .startsWith("FAIL writew 0x8000000000000000 faulted: general protection fault #GP");
            }
            assertThat(conn.command("readl 0x" + Long.toHexString(base)))
                    .as("the agent keeps serving after a fault").isEqualTo("OK 0x0000000074726976");
            assertThat(conn.command("hello again")).startsWith("OK virtio-tck-agent ").endsWith(" tag=again");
        } finally {
            if (conn != null) {
                conn.close();
            } else {
                link.close();
            }
        }
    }
}
