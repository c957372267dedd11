package org.virtiotck.tck.target.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.Targets;

/**
 * A VMM that dies mid-run: the next call is a CRASHED fault (which the suites report as CRASH) naming how QEMU
 * ended, and a hard reset runs the launch command again and finds the agent and the device anew.
 */
class AgentCrashRestartTest {

    @TempDir
    Path dir;

    @Test
    void aKilledVmmIsACrashAndAHardResetLaunchesItAgain() throws Exception {
        AgentTestSupport.requireAgent("aarch64");
        String uri = AgentQemu.uri(AgentTestSupport.root(), "aarch64", dir, "tcg", "ramfile", "timeout=5000");
        try (Target t = Targets.open(uri)) {
            assertThat(t.read(MmioRegister.MAGIC_VALUE, 4)).isEqualTo(MmioRegister.MAGIC);
            assertThat(t.info().details().get("memory access")).contains("RAM file");
            byte[] data = {1, 2, 3, 4};
            t.writeMemory(t.ram().base(), data, 0, 4);

            long killed = qemuOf(dir).map(p -> {
                p.destroyForcibly();
                return p.pid();
            }).orElseThrow(() -> new AssertionError("no QEMU child found for " + dir));

            TargetFault f = catchThrowableOfType(TargetFault.class, () -> {
                for (int i = 0; i < 100; i++) {
                    t.read(MmioRegister.MAGIC_VALUE, 4);
                    Thread.sleep(20);
                }
            });
            assertThat(f).as("a call after QEMU (pid " + killed + ") was killed").isNotNull();
            assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
            assertThat(f.getMessage()).contains("signal 9");

            t.hardReset();
            assertThat(qemuOf(dir).orElseThrow().pid()).isNotEqualTo(killed);
            assertThat(t.read(MmioRegister.MAGIC_VALUE, 4)).isEqualTo(MmioRegister.MAGIC);
            assertThat(t.read(MmioRegister.DEVICE_ID, 4)).isEqualTo(2);
            byte[] back = new byte[4];
            t.readMemory(t.ram().base(), back, 0, 4);
            assertThat(back).as("guest RAM is the same file after the restart").containsExactly(data);
        }
        assertThat(qemuOf(dir)).as("closing the target stops QEMU").isEmpty();
    }

    private static java.util.Optional<ProcessHandle> qemuOf(Path dir) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("qemu-system") && c.contains(dir.toString()))
                        .orElse(false))
                .findFirst();
    }
}
