package org.virtiotck.device;

import org.virtiotck.spec.Blk;

/**
 * The zoned model a {@link ReferenceBlockDevice} operates in (§5.2.4, {@code zoned.model}). Only the zoned
 * models make the device offer VIRTIO_BLK_F_ZONED; {@link #NONE} is a plain disk that never offers it
 * (blk.dev.5).
 */
public enum ZonedModel {
    /** Not zoned: VIRTIO_BLK_F_ZONED is not offered. */
    NONE(Blk.Z_NONE),
    /** Host-managed: conventional zones, then Sequential Write Required zones. */
    HOST_MANAGED(Blk.Z_HM),
    /** Host-aware: conventional zones, then Sequential Write Preferred zones. */
    HOST_AWARE(Blk.Z_HA);

    private final int value;

    ZonedModel(int value) {
        this.value = value;
    }

    /** The value published in {@code zoned.model}. */
    public int value() {
        return value;
    }

    public boolean zoned() {
        return this != NONE;
    }

    /** The zone type of every non-conventional zone under this model. */
    int sequentialType() {
        return this == HOST_MANAGED ? Blk.ZT_SWR : Blk.ZT_SWP;
    }
}
