package org.virtiotck.tck.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;
import picocli.CommandLine;

/** The served reference device, driven through the kit's own qtest adapter over a Unix socket. */
class ServeCommandTest {

    @Test
    void theServedReferenceAnswersTheQtestAdapterLikeADevice(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("ref.sock");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread server = Thread.ofPlatform().daemon().start(() -> exit.set(new CommandLine(new ServeCommand())
                .execute("--target", "reference", "--qtest", "unix:" + sock, "--complete-after-ms", "3", "--once")));
        for (int i = 0; i < 200 && !Files.exists(sock); i++) {
            Thread.sleep(25);
        }
        String uri = "qtest:unix:" + sock + "?base=0x0a003e00&ram=0x40000000+4M&irq=/machine/unattached/device[1]:47";
        try (Target t = openWhenListening(uri)) {
            assertThat(t.read(MmioRegister.MAGIC_VALUE, 4)).isEqualTo(MmioRegister.MAGIC);
            assertThat(t.read(MmioRegister.VERSION, 4)).isEqualTo(2);
            assertThat(t.read(MmioRegister.DEVICE_ID, 4)).isEqualTo(2);
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            t.writeMemory(0x40001000L, data, 0, data.length);
            byte[] back = new byte[data.length];
            t.readMemory(0x40001000L, back, 0, back.length);
            assertThat(back).isEqualTo(data);
            t.write(MmioRegister.STATUS, 4, 1);
            assertThat(t.read(MmioRegister.STATUS, 4)).isEqualTo(1);
            assertThat(t.interrupts()).isPresent();
        }
        server.join(10_000);
        assertThat(exit.get()).isZero();
    }

    @Test
    void onlyLoopbackAddressesAreServed() {
        assertThatThrownBy(() -> ServeCommand.listenAddress("tcp:8.8.8.8:4444"))
                .hasMessageContaining("loopback");
        assertThat(ServeCommand.listenAddress("tcp:127.0.0.1:4444").toString()).contains("127.0.0.1");
        assertThatThrownBy(() -> ServeCommand.listenAddress("udp:x")).hasMessageContaining("unix:/PATH");
    }

    /**
     * The socket file appears when the server binds, a moment before it listens: a connection in between is
     * refused, so the test retries for a bounded time.
     */
    static Target openWhenListening(String uri) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Targets.open(uri);
            } catch (org.virtiotck.tck.spi.TargetFault e) {
                if (attempt >= 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
