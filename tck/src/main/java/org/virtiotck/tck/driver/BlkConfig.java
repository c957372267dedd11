package org.virtiotck.tck.driver;

/** A consistent snapshot of struct virtio_blk_config (§5.2.4), read inside a generation loop. */
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
        int unused0,
        int numQueues,
        int maxDiscardSectors,
        int maxDiscardSeg,
        int discardSectorAlignment,
        int maxWriteZeroesSectors,
        int maxWriteZeroesSeg,
        int writeZeroesMayUnmap,
        int unused1,
        int maxSecureEraseSectors,
        int maxSecureEraseSeg,
        int secureEraseSectorAlignment) {}
