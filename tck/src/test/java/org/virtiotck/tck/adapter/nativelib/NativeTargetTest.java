package org.virtiotck.tck.adapter.nativelib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetUriException;
import org.virtiotck.tck.spi.Targets;

/** The native-library adapter with the example C device. */
class NativeTargetTest {

    @Test
    void loadsTheLibraryAndDrivesIt() {
        Path lib = ExampleDevice.library();
        try (Target t = Targets.open("native:" + lib)) {
            assertThat(t).isInstanceOf(GuardedTarget.class);
            assertThat(t.read(0x000, 4)).isEqualTo(0x74726976L);
            assertThat(t.read(0x004, 4)).isEqualTo(2);
            assertThat(t.read(0x100, 8)).isEqualTo(2048);
            assertThat(t.info().details()).containsEntry("abi", "1").containsEntry("hardReset", "vtck_hard_reset");
        }
    }

    @Test
    void blockIoAndTheInterruptCallback() {
        Path lib = ExampleDevice.library();
        try (Target t = Targets.open("native:" + lib + "?config=capacity=64,serial=abc")) {
            BlkDriver d = new BlkDriver(t).initializeOrFail();
            assertThat(t.read(0x100, 8)).isEqualTo(64);
            byte[] data = new byte[1024];
            java.util.Arrays.fill(data, (byte) 0x5a);
            long edges = t.interrupts().orElseThrow().risingEdges();
            assertThat(d.write(10, data).status()).isZero();
            Completion r = d.read(10, 1024);
            assertThat(r.status()).isZero();
            assertThat(java.util.Arrays.copyOf(r.in(), 1024)).isEqualTo(data);
            assertThat(t.interrupts().orElseThrow().risingEdges()).isGreaterThan(edges);
            assertThat(d.read(63, 1024).status()).as("read past capacity").isEqualTo(1);
        }
    }

    @Test
    void hardResetUsesTheOptionalEntryPoint() {
        Path lib = ExampleDevice.library();
        try (Target t = Targets.open("native:" + lib)) {
            t.write(0x070, 4, 1);
            assertThat(t.read(0x070, 4)).isEqualTo(1);
            t.hardReset();
            assertThat(t.read(0x070, 4)).isZero();
        }
    }

    @Test
    void aRefusedConfigurationSaysWhy() {
        Path lib = ExampleDevice.library();
        assertThatThrownBy(() -> Targets.open("native:" + lib + "?config=bogus=1"))
                .isInstanceOf(TargetFault.class).hasMessageContaining("unknown config key 'bogus'");
    }

    @Test
    void aMissingLibraryOrOptionIsAClearError() {
        assertThatThrownBy(() -> Targets.open("native:/no/such/libdevice.so"))
                .isInstanceOf(TargetFault.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Targets.open("native:")).isInstanceOf(TargetUriException.class);
        Path lib = ExampleDevice.library();
        assertThatThrownBy(() -> Targets.open("native:" + lib + "?colour=red"))
                .isInstanceOf(TargetUriException.class).hasMessageContaining("colour");
    }

    @Test
    void aLibraryWithoutTheAbiIsRefused() {
        // libc is a shared library that certainly does not export vtck_abi_version.
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(libc), "no libc.so.6 at " + libc);
        assertThatThrownBy(() -> Targets.open("native:" + libc))
                .isInstanceOf(TargetFault.class).hasMessageContaining("vtck_abi_version");
    }
}
