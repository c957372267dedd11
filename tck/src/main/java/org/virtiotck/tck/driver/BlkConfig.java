package org.virtiotck.tck.driver;

/**
 * A consistent snapshot of struct virtio_blk_config (§5.2.4), read inside a generation loop. Fields whose
 * feature the device does not offer are not read (config.drv.3) and hold 0; {@code writeback} holds -1 when it
 * was not read (before FEATURES_OK or without CONFIG_WCE).
 */
public record BlkConfig(
        long capacity,
        int sizeMax,
        int segMax,
        int cylinders,
        int heads,
        int sectors,
        int blkSize,
        int physicalBlockExp,
        int alignmentOffset,
        int minIoSize,
        int optIoSize,
        int writeback,
        int numQueues,
        int maxDiscardSectors,
        int maxDiscardSeg,
        int discardSectorAlignment,
        int maxWriteZeroesSectors,
        int maxWriteZeroesSeg,
        int writeZeroesMayUnmap,
        int maxSecureEraseSectors,
        int maxSecureEraseSeg,
        int secureEraseSectorAlignment) {}
