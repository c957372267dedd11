package org.virtiotck.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.Blk.*;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The names of request types, statuses, zone states and types and feature bits come from the constants' own names. */
class BlkNamesTest {

    @Test
    void everyRequestTypeHasItsNameAndTheLegacySynonymNone() {
        assertThat(IntStream.of(T_IN, T_OUT, T_FLUSH, T_GET_ID, T_GET_LIFETIME, T_DISCARD, T_WRITE_ZEROES,
                T_SECURE_ERASE, T_ZONE_APPEND, T_ZONE_REPORT, T_ZONE_OPEN, T_ZONE_CLOSE, T_ZONE_FINISH, T_ZONE_RESET,
                T_ZONE_RESET_ALL).mapToObj(Blk::typeName)).containsExactly("IN", "OUT", "FLUSH", "GET_ID",
                "GET_LIFETIME", "DISCARD", "WRITE_ZEROES", "SECURE_ERASE", "ZONE_APPEND", "ZONE_REPORT", "ZONE_OPEN",
                "ZONE_CLOSE", "ZONE_FINISH", "ZONE_RESET", "ZONE_RESET_ALL");
        assertThat(typeName(T_FLUSH_OUT_LEGACY)).isEqualTo("type 5");
        assertThat(typeName(-1)).isEqualTo("type 4294967295");
    }

    @Test
    void statusesAndZoneStatesAndTypesHaveTheirNames() {
        assertThat(IntStream.of(S_OK, S_IOERR, S_UNSUPP, S_ZONE_INVALID_CMD, S_ZONE_UNALIGNED_WP,
                S_ZONE_OPEN_RESOURCE, S_ZONE_ACTIVE_RESOURCE, 7).mapToObj(Blk::statusName)).containsExactly("OK",
                "IOERR", "UNSUPP", "ZONE_INVALID_CMD", "ZONE_UNALIGNED_WP", "ZONE_OPEN_RESOURCE",
                "ZONE_ACTIVE_RESOURCE", "status 7");
        assertThat(IntStream.of(ZS_NOT_WP, ZS_EMPTY, ZS_IOPEN, ZS_EOPEN, ZS_CLOSED, ZS_RDONLY, ZS_FULL, ZS_OFFLINE, 5)
                .mapToObj(Blk::zoneStateName)).containsExactly("NOT_WP", "EMPTY", "IOPEN", "EOPEN", "CLOSED",
                "RDONLY", "FULL", "OFFLINE", "state 5");
        assertThat(IntStream.of(ZT_CONV, ZT_SWR, ZT_SWP, 0).mapToObj(Blk::zoneTypeName))
                .containsExactly("CONV", "SWR", "SWP", "type 0");
    }

    @Test
    void featureBitsAreNamedAsInTheSpec() {
        assertThat(IntStream.of(FeatureBit.BLK_BARRIER, FeatureBit.BLK_SIZE_MAX, FeatureBit.BLK_BLK_SIZE,
                FeatureBit.BLK_ZONED, FeatureBit.NOTIFY_ON_EMPTY, FeatureBit.UNUSED_30, FeatureBit.VERSION_1,
                FeatureBit.RING_RESET, FeatureBit.ADMIN_VQ, 3, 63).mapToObj(FeatureBit::name))
                .containsExactly("VIRTIO_BLK_F_BARRIER", "VIRTIO_BLK_F_SIZE_MAX", "VIRTIO_BLK_F_BLK_SIZE",
                        "VIRTIO_BLK_F_ZONED", "VIRTIO_F_NOTIFY_ON_EMPTY", "UNUSED(30)", "VIRTIO_F_VERSION_1",
                        "VIRTIO_F_RING_RESET", "VIRTIO_F_ADMIN_VQ", "bit 3", "bit 63");
        assertThat(IntStream.range(0, 64).mapToObj(FeatureBit::name).filter(n -> !n.startsWith("bit "))).hasSize(31);
    }
}
