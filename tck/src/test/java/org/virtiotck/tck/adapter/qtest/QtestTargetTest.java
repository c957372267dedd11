package org.virtiotck.tck.adapter.qtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetInfo;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.spi.Targets;

@Tag("qemu")
class QtestTargetTest {
    private static final String ARM = "qemu-system-aarch64";
    private static final String X86 = "qemu-system-x86_64";

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    static void needs(String program) {
        Assumptions.assumeTrue(onPath(program), program + " is not installed (on Debian: apt-get install "
                + "qemu-system-arm qemu-system-x86); skipping QEMU tests");
    }

    @Test
    void modernRegistersAndInfo() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt")) {
            isBlockDevice(t, MmioRegister.VERSION_MODERN);
            TargetInfo info = t.info();
            assertThat(info.name()).startsWith("QEMU ").endsWith("aarch64 virt (modern)");
            assertThat(info.transportBase()).isEqualTo(0x0a003e00L);
            assertThat(info.capabilities()).contains(TargetInfo.Capability.IRQ_LINE,
                    TargetInfo.Capability.DISK_ACCESS, TargetInfo.Capability.RESIZE);
            assertThat(info.details().get("irq")).isEqualTo("/machine/unattached/device[1]:47");
            assertThat(t.ram().base()).isEqualTo(0x40000000L);
            assertThat(t.interrupts()).isPresent();
            assertThat(t.host().orElseThrow().diskBytes()).isEqualTo(64L << 20);
        }
    }

    @Test
    void legacyVersionIsOne() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?legacy=true&disk=1M&queues=2")) {
            isBlockDevice(t, MmioRegister.VERSION_LEGACY);
            assertThat(t.info().name()).endsWith("(legacy)");
            // capacity in sectors, config space at 0x100
            assertThat(t.read(MmioRegister.CONFIG + Blk.CFG_CAPACITY, 4)).isEqualTo(2048);
        }
    }

    @Test
    void guestMemoryRoundTripBase64AndHex() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?disk=1M")) {
            QtestTarget qt = (QtestTarget) t;
            assertThat(qt.connection().base64()).isTrue();
            Random r = new Random(42);
            byte[] big = new byte[300_001];
            r.nextBytes(big);
            long gpa = t.ram().base() + 0x1_0003;
            t.writeMemory(gpa, big, 0, big.length);
            byte[] back = new byte[big.length];
            t.readMemory(gpa, back, 0, back.length);
            assertThat(back).isEqualTo(big);
            // the hex fallback talks to the same memory
            qt.connection().forceHex();
            byte[] small = new byte[1000];
            r.nextBytes(small);
            t.writeMemory(gpa + 7, small, 0, small.length);
            byte[] back2 = new byte[1010];
            t.readMemory(gpa, back2, 0, back2.length);
            assertThat(java.util.Arrays.copyOfRange(back2, 7, 1007)).isEqualTo(small);
            assertThat(java.util.Arrays.copyOfRange(back2, 0, 7)).isEqualTo(java.util.Arrays.copyOfRange(big, 0, 7));
            assertThatThrownBy(() -> t.readMemory(t.ram().end() - 1, new byte[2], 0, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside RAM");
        }
    }

    @Test
    void interruptSeenForAWriteRequestAndDiskIsReadable() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?disk=1M")) {
            requestWithInterrupt(t);
        }
    }

    @Test
    void microvmSmoke() {
        needs(X86);
        try (Target t = Targets.open("qemu:x86_64-microvm?disk=1M")) {
            isBlockDevice(t, MmioRegister.VERSION_MODERN);
            assertThat(t.info().name()).contains("x86_64 microvm (modern)");
            assertThat(t.ram().base()).isEqualTo(0x100000L);
            requestWithInterrupt(t);
        }
    }

    private static void requestWithInterrupt(Target t) {
        InterruptObserver irq = t.interrupts().orElseThrow();
        MiniDriver d = new MiniDriver(t);
        d.initModern();
        assertThat(irq.asserted()).isFalse();
        assertThat(irq.risingEdges()).isZero();
        byte[] sector = new byte[Blk.SECTOR_SIZE];
        new Random(7).nextBytes(sector);
        d.submit(Blk.T_OUT, 1, sector);
        assertThat(irq.awaitAsserted(Duration.ofSeconds(5))).as("interrupt after OUT request").isTrue();
        assertThat(irq.risingEdges()).isEqualTo(1);
        assertThat(d.usedIdx()).isEqualTo(1);
        assertThat(d.statusByte()).isEqualTo(Blk.S_OK);
        assertThat(t.read(MmioRegister.INTERRUPT_STATUS, 4) & MmioRegister.INT_USED_BUFFER).isNotZero();
        t.write(MmioRegister.INTERRUPT_ACK, 4, MmioRegister.INT_USED_BUFFER);
        assertThat(irq.asserted()).isFalse();
        assertThat(t.host().orElseThrow().readDisk(512, 512)).isEqualTo(sector);
        // read it back through the device: a second edge
        d.submit(Blk.T_IN, 1, null);
        assertThat(irq.awaitAsserted(Duration.ofSeconds(5))).isTrue();
        assertThat(irq.risingEdges()).isEqualTo(2);
        assertThat(d.dataBytes(512)).isEqualTo(sector);
    }

    @Test
    void resizeRaisesConfigInterruptAndChangesCapacity() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?disk=1M")) {
            InterruptObserver irq = t.interrupts().orElseThrow();
            new MiniDriver(t).initModern();
            assertThat(t.read(MmioRegister.CONFIG + Blk.CFG_CAPACITY, 4)).isEqualTo(2048);
            t.host().orElseThrow().resizeCapacity(4096);
            assertThat(irq.awaitAsserted(Duration.ofSeconds(5))).isTrue();
            assertThat(t.read(MmioRegister.INTERRUPT_STATUS, 4) & MmioRegister.INT_CONFIG_CHANGE).isNotZero();
            assertThat(t.read(MmioRegister.CONFIG + Blk.CFG_CAPACITY, 4)).isEqualTo(4096);
            assertThat(t.host().orElseThrow().diskBytes()).isEqualTo(4096L * 512);
        }
    }

    @Test
    void crashCarriesStderrTailAndLaterCallsFailFast() {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?disk=1M&timeout=5000")) {
            QtestTarget qt = (QtestTarget) t;
            // A command without its argument trips an assertion inside QEMU, which aborts with a message.
            TargetFault f = catchThrowableOfType(TargetFault.class, () -> qt.connection().command("readl"));
            assertThat(f).isNotNull();
            assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
            assertThat(f.getMessage()).contains("signal 6").contains("assertion");
            // hard reset restarts QEMU
            failsFastThenHardResetRevives(t, TargetFault.Kind.CRASHED);
        }
    }

    /** The target shows a virtio-mmio transport of {@code version} in front of a block device. */
    private static void isBlockDevice(Target t, long version) {
        assertThat(t.read(MmioRegister.MAGIC_VALUE, 4)).isEqualTo(MmioRegister.MAGIC);
        assertThat(t.read(MmioRegister.VERSION, 4)).isEqualTo(version);
        assertThat(t.read(MmioRegister.DEVICE_ID, 4)).isEqualTo(Blk.DEVICE_ID);
    }

    /**
     * A dead target answers the next access at once with the same fault (no second timeout), and a hard reset
     * brings it back.
     */
    private static void failsFastThenHardResetRevives(Target t, TargetFault.Kind kind) {
        long start = System.nanoTime();
        TargetFault again = catchThrowableOfType(TargetFault.class, () -> t.read(MmioRegister.MAGIC_VALUE, 4));
        assertThat(again.kind()).isEqualTo(kind);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        t.hardReset();
        assertThat(t.read(MmioRegister.MAGIC_VALUE, 4)).isEqualTo(MmioRegister.MAGIC);
    }

    @Test
    void killedQemuIsCrashed() throws Exception {
        needs(ARM);
        try (Target t = Targets.open("qemu:aarch64-virt?disk=1M")) {
            QtestTarget qt = (QtestTarget) t;
            Process p = ((ProcessLink) qt.connection().link()).process();
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            TargetFault f = catchThrowableOfType(TargetFault.class, () -> t.read(MmioRegister.MAGIC_VALUE, 4));
            assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
            assertThat(f.getMessage()).contains("signal 9");
            assertThatThrownBy(() -> t.interrupts().orElseThrow().awaitAsserted(Duration.ofSeconds(1)))
                    .isInstanceOf(TargetFault.class);
        }
    }

    @Test
    void hungExecPeerIsHungWithinTimeout() {
        Assumptions.assumeTrue(onPath("sleep"), "no sleep command");
        long start = System.nanoTime();
        TargetFault f = catchThrowableOfType(TargetFault.class,
                () -> Targets.open("qtest:exec:sleep 1000?base=0x0a003e00&ram=0x40000000+1M&timeout=300"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo(TargetFault.Kind.HUNG);
        assertThat(f.getMessage()).contains("300 ms");
        assertThat(ms).isBetween(250L, 3000L);
    }

    @Test
    void hungSocketPeerAfterSetupAndInterleavedIrqLines() throws Exception {
        int[] reads = {0};
        try (FakeQtestServer server = new FakeQtestServer(line -> {
            if (line.startsWith("b64read")) {
                return "OK AA==\n";
            }
            if (line.startsWith("irq_intercept_in")) {
                return "OK\n";
            }
            if (line.startsWith("readl 0xa003e00")) {
                return "OK 0x0000000074726976\n";
            }
            if (line.startsWith("readb")) {
                return "OK 0x00\n"; // sync ping
            }
            if (line.startsWith("writel")) {
                return "OK\n";
            }
            if (line.startsWith("readl 0xa003e60")) {
                // an asynchronous IRQ line arriving before the answer
                return ++reads[0] == 1 ? "IRQ raise 3\nIRQ raise 9\nOK 0x0000000000000001\n" : null;
            }
            return "FAIL Unknown command\n";
        })) {
            String uri = "qtest:unix:" + server.socket() + "?base=0x0a003e00&ram=0x40000000+1M&irq=/machine/x:9"
                    + "&timeout=400";
            try (Target t = Targets.open(uri)) {
                InterruptObserver irq = t.interrupts().orElseThrow();
                assertThat(irq.asserted()).isFalse();
                assertThat(t.read(MmioRegister.INTERRUPT_STATUS, 4)).isEqualTo(1);
                assertThat(irq.asserted()).isTrue();
                assertThat(irq.risingEdges()).isEqualTo(1);
                long start = System.nanoTime();
                TargetFault f = catchThrowableOfType(TargetFault.class, () -> t.read(MmioRegister.INTERRUPT_STATUS, 4));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(f.kind()).isEqualTo(TargetFault.Kind.HUNG);
                assertThat(ms).isBetween(350L, 3000L);
                // hard reset on a connect-style target reconnects and resets the device (Status = 0)
                failsFastThenHardResetRevives(t, TargetFault.Kind.HUNG);
            }
        }
    }

    @Test
    void garbageAnswerIsProtocolFault() throws Exception {
        try (FakeQtestServer server = new FakeQtestServer(line -> line.startsWith("b64read") ? "OK AA==\n"
                : line.startsWith("readl 0xa003e00") ? "OK 0x74726976\n" : "hello there\n")) {
            try (Target t = Targets.open("qtest:unix:" + server.socket() + "?base=0x0a003e00&ram=0x40000000+1M")) {
                assertThat(t.interrupts()).isEmpty();
                TargetFault f = catchThrowableOfType(TargetFault.class, () -> t.read(MmioRegister.VERSION, 4));
                assertThat(f.kind()).isEqualTo(TargetFault.Kind.PROTOCOL);
                assertThat(f.getMessage()).contains("hello there");
            }
        }
    }

    @Test
    void connectsToQemuStartedOnAUnixSocket(@TempDir Path dir) throws Exception {
        needs(ARM);
        try (OutsideQemu qemu = OutsideQemu.start(dir, 1 << 20, "-qtest-log", "/dev/null")) {
            try (Target t = Targets.open(qemu.uri())) {
                assertThat(t.read(MmioRegister.VERSION, 4)).isEqualTo(MmioRegister.VERSION_MODERN);
                assertThat(t.read(MmioRegister.DEVICE_ID, 4)).isEqualTo(Blk.DEVICE_ID);
                assertThat(t.info().capabilities()).contains(TargetInfo.Capability.IRQ_LINE,
                        TargetInfo.Capability.DISK_ACCESS);
                requestWithInterrupt(t);
                t.hardReset();
                assertThat(t.read(MmioRegister.STATUS, 4)).isZero();
            }
        }
    }

    @Test
    void badUrisAreRejectedClearly() {
        assertThatThrownBy(() -> Targets.open("qemu:riscv-virt"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("unknown QEMU machine")
                .hasMessageContaining("aarch64-virt");
        assertThatThrownBy(() -> Targets.open("qemu:aarch64-virt?lgeacy=true"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("unknown option 'lgeacy'");
        assertThatThrownBy(() -> Targets.open("qemu:?disk=1000"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("multiple of 512");
        assertThatThrownBy(() -> Targets.open("qtest:tcp:example.com:4444?base=0x0a003e00&ram=0x40000000+1M"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> Targets.open("qtest:tcp:10.0.0.1:4444?base=0x0a003e00&ram=0x40000000+1M"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> Targets.open("qtest:unix:/tmp/x.sock?ram=0x40000000+1M"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("base=");
        assertThatThrownBy(() -> Targets.open("qtest:unix:/tmp/x.sock?base=0x0a003e00"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("ram=");
        assertThatThrownBy(() -> Targets.open("qtest:unix:/tmp/x.sock?base=0x0a003e00&ram=0x40000000"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("ADDRESS+SIZE");
        assertThatThrownBy(() -> Targets.open("qtest:unix:/tmp/x.sock?base=0x0a003e00&ram=0x40000000+1M&irq=47"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("QOMPATH:LINE");
        assertThatThrownBy(() -> Targets.open("qtest:ftp:x?base=1&ram=0+1M"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("qtest:unix:/PATH");
    }

    @Test
    void unreachableEndpointIsCrashedNotAnException() {
        TargetFault f = catchThrowableOfType(TargetFault.class,
                () -> Targets.open("qtest:unix:/nonexistent/q.sock?base=0x0a003e00&ram=0x40000000+1M"));
        assertThat(f).isNotNull();
        assertThat(f.kind()).isEqualTo(TargetFault.Kind.CRASHED);
    }
}
