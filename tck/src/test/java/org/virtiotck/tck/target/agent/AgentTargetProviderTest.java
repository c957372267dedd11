package org.virtiotck.tck.target.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.spi.Targets;

/** URI checks, the hello line, and bounded greetings - without a VMM. */
class AgentTargetProviderTest {

    @Test
    void parsesTheHelloLine() {
        AgentHello h = AgentHello.parse("OK virtio-tck-agent 0.1.0 arch=aarch64 boot=image,dtb=0x48000000"
                + " uart=pl011@0x9000000 image=0x40080000+0x39000 ram=0x40100000+0xff00000"
                + " devices=0xa003e00:2:2,0xa003c00:1:2 tag=3");
        assertThat(h.version()).isEqualTo("0.1.0");
        assertThat(h.arch()).isEqualTo("aarch64");
        assertThat(h.tag()).isEqualTo("3");
        assertThat(h.image()).isEqualTo(new MemoryWindow(0x4008_0000L, 0x39000));
        assertThat(h.freeRam()).isEqualTo(new MemoryWindow(0x4010_0000L, 0xff0_0000L));
        assertThat(h.devices()).containsExactly(new AgentHello.Device(0x0a00_3e00L, 2, 2),
                new AgentHello.Device(0x0a00_3c00L, 1, 2));

        AgentHello none = AgentHello.parse("OK virtio-tck-agent 0.1.0 arch=x86_64 image=0x100000+0x3f000 ram=unknown"
                + " devices=none");
        assertThat(none.freeRam()).isNull();
        assertThat(none.devices()).isEmpty();

        assertThatThrownBy(() -> AgentHello.parse("OK something-else 1")).hasMessageContaining("not an agent hello");
        assertThatThrownBy(() -> AgentHello.parse("OK virtio-tck-agent 0.1.0 arch=x")).hasMessageContaining("image");
        assertThatThrownBy(() -> AgentHello.parse("OK virtio-tck-agent 0.1.0 image=0x1+0x2 devices=0x1:2"))
                .hasMessageContaining("bad device");
    }

    @Test
    void rejectsBadUris() {
        assertThatThrownBy(() -> Targets.open("agent:"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("agent:unix:/PATH");
        assertThatThrownBy(() -> Targets.open("agent:exec:cat?launch=qemu"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("launch= goes with agent:unix:");
        assertThatThrownBy(() -> Targets.open("agent:unix:/tmp/x.sock?arch=riscv64"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("arch must be");
        assertThatThrownBy(() -> Targets.open("agent:unix:/tmp/x.sock?ram-file=/tmp/ram"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("PATH@GUEST_ADDRESS");
        assertThatThrownBy(() -> Targets.open("agent:unix:/tmp/x.sock?colour=red"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> Targets.open("agent:tcp:example.com:80"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("loopback");
    }

    @Test
    void aSerialPortThatNeverAnswersIsAHangWithinTheBootTime() {
        // cat echoes the greeting back: a line that is not the agent's answer
        long start = System.nanoTime();
        TargetFault f = catchThrowableOfType(TargetFault.class, () -> Targets.open("agent:exec:cat?boot=1000").close());
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo(TargetFault.Kind.HUNG);
        assertThat(f.getMessage()).contains("no hello from the guest agent").contains("within 1000 ms")
                .contains("hello 1");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void aVmmThatExitsBeforeHelloIsACrash(@TempDir Path dir) throws Exception {
        Path vmm = dir.resolve("vmm.sh");
        Files.writeString(vmm, "#!/bin/sh\necho firmware says hi\nexit 3\n");
        vmm.toFile().setExecutable(true);
        TargetFault f = catchThrowableOfType(TargetFault.class,
                () -> Targets.open("agent:exec:" + vmm + "?boot=5000").close());
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
        assertThat(f.getMessage()).contains("ended before the agent said hello").contains("status 3")
                .contains("firmware says hi");
    }

    @Test
    void aSocketNobodyListensOnIsACrash() {
        TargetFault f = catchThrowableOfType(TargetFault.class,
                () -> Targets.open("agent:unix:/nonexistent/agent.sock").close());
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
        assertThat(f.getMessage()).contains("cannot reach the agent");
    }
}
