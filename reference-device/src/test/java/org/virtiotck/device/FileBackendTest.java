package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.spec.FeatureBit.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.spec.Blk;

class FileBackendTest {
    @TempDir
    Path dir;

    @Test
    void writesLandInTheImageAndFlushForces() throws IOException {
        Path img = dir.resolve("disk.img");
        BlockDeviceConfig c = BlockDeviceConfig.builder().imageFile(img).capacitySectors(64).build();
        byte[] data = TestDriver.pattern(1024, 5);
        try (ReferenceBlockDevice dev0 = new TestDriver(c).dev) {
            assertThat(Files.size(img)).isEqualTo(64 * 512);
        }
        TestDriver d = new TestDriver(c).init();
        assertThat(d.dev.backend()).isInstanceOf(FileBackend.class);
        assertThat(d.write(2, data).status()).isEqualTo(Blk.S_OK);
        long flushes = d.dev.backend().flushCount();
        assertThat(flushes).isZero(); // FLUSH negotiated: writeback cache, no force per write
        assertThat(d.simple(Blk.T_FLUSH, 0).status()).isEqualTo(Blk.S_OK);
        assertThat(d.dev.backend().flushCount()).isEqualTo(1);
        d.dev.close();
        byte[] file = Files.readAllBytes(img);
        assertThat(Arrays.copyOfRange(file, 1024, 2048)).isEqualTo(data);
        // reopen: contents persist
        TestDriver again = new TestDriver(c).init();
        assertThat(again.read(2, 1024).data()).isEqualTo(data);
        again.dev.close();
    }

    @Test
    void writethroughForcesEveryWrite() {
        Path img = dir.resolve("wt.img");
        BlockDeviceConfig c = BlockDeviceConfig.builder().imageFile(img).capacitySectors(64).build();
        TestDriver d = new TestDriver(c).init(bit(BLK_FLUSH) | bit(BLK_CONFIG_WCE));
        assertThat(d.dev.writethrough()).isTrue();
        d.write(0, new byte[512]);
        d.write(1, new byte[512]);
        assertThat(d.dev.backend().flushCount()).isEqualTo(2); // blk.dev.31
        d.dev.close();
    }

    @Test
    void resizeGrowsAndShrinksTheImage() throws IOException {
        Path img = dir.resolve("r.img");
        BlockDeviceConfig c = BlockDeviceConfig.builder().imageFile(img).capacitySectors(8).build();
        TestDriver d = new TestDriver(c).init();
        d.dev.resizeCapacity(16);
        assertThat(Files.size(img)).isEqualTo(16 * 512);
        assertThat(d.write(15, new byte[512]).status()).isEqualTo(Blk.S_OK);
        d.dev.resizeCapacity(4);
        assertThat(Files.size(img)).isEqualTo(4 * 512);
        d.dev.close();
    }
}
