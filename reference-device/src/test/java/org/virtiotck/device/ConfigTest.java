package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.spec.FeatureBit.*;

import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaults() {
        BlockDeviceConfig c = BlockDeviceConfig.builder().build();
        assertThat(c.legacy()).isFalse();
        assertThat(c.offeredFeatures()).isEqualTo(BlockDeviceConfig.defaultModernFeatures());
        assertThat(c.numQueues()).isEqualTo(1);
        assertThat(c.queueNumMax()).isEqualTo(256);
        assertThat(c.capacitySectors()).isEqualTo(2048);
        assertThat(c.readOnly()).isFalse();
        assertThat(c.serial()).isEqualTo("virtio-tck-ref");
        assertThat(c.vendorId()).isEqualTo(0x4b435456);
        assertThat(c.imageFile()).isNull();
        long f = c.offeredFeatures();
        for (int b : new int[] {VERSION_1, RING_RESET, INDIRECT_DESC, EVENT_IDX, BLK_SIZE_MAX, BLK_SEG_MAX,
                BLK_GEOMETRY, BLK_BLK_SIZE, BLK_TOPOLOGY, BLK_FLUSH, BLK_CONFIG_WCE, BLK_MQ, BLK_DISCARD,
                BLK_WRITE_ZEROES, BLK_SECURE_ERASE, BLK_LIFETIME}) {
            assertThat(has(f, b)).as(name(b)).isTrue();
        }
        assertThat(has(f, BLK_RO)).isFalse();
        long l = BlockDeviceConfig.defaultLegacyFeatures();
        assertThat(l >>> 32).isZero();
        assertThat(has(l, ANY_LAYOUT) && has(l, NOTIFY_ON_EMPTY)).isTrue();
    }

    @Test
    void readOnlyAddsRoAndToBuilderRoundTrips() {
        BlockDeviceConfig c = BlockDeviceConfig.builder().readOnly(true).build();
        assertThat(has(c.offeredFeatures(), BLK_RO)).isTrue();
        BlockDeviceConfig back = c.toBuilder().readOnly(false).build();
        assertThat(back.readOnly()).isFalse();
        assertThat(back.offeredFeatures()).isEqualTo(BlockDeviceConfig.defaultModernFeatures());
        assertThat(c.toBuilder().build().offeredFeatures()).isEqualTo(c.offeredFeatures());
    }

    @Test
    void invalidConfigurationsAreRejected() {
        assertThatThrownBy(() -> BlockDeviceConfig.builder().features(mask(BLK_FLUSH)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VERSION_1");
        assertThatThrownBy(() -> BlockDeviceConfig.builder()
                .features(BlockDeviceConfig.defaultModernFeatures() | mask(ADMIN_VQ)).build())
                .hasMessageContaining("ADMIN_VQ");
        assertThatThrownBy(() -> BlockDeviceConfig.builder()
                .features(BlockDeviceConfig.defaultModernFeatures() & ~mask(BLK_FLUSH)).build())
                .hasMessageContaining("blk.dev.2");
        assertThatThrownBy(() -> BlockDeviceConfig.builder().legacy(true)
                .features(BlockDeviceConfig.defaultModernFeatures()).build())
                .hasMessageContaining("legacy");
        assertThatThrownBy(() -> BlockDeviceConfig.builder().queues(2)
                .features(BlockDeviceConfig.defaultModernFeatures() & ~mask(BLK_MQ)).build())
                .hasMessageContaining("MQ");
        assertThatThrownBy(() -> BlockDeviceConfig.builder().queueNumMax(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockDeviceConfig.builder().serial("123456789012345678901").build())
                .hasMessageContaining("20");
        assertThatThrownBy(() -> BlockDeviceConfig.builder().lifetime(4, 0, 0).build()).hasMessageContaining("blk.dev.36");
        assertThatThrownBy(() -> BlockDeviceConfig.builder().capacitySectors(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
