package org.virtiotck.tck.driver;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;

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
        int secureEraseSectorAlignment) {

    /**
     * Reads every field once (no generation loop), skipping fields whose feature {@code offered} lacks; the
     * writeback byte only when {@code withWriteback}.
     */
    static BlkConfig readOnce(Mmio mmio, long offered, boolean withWriteback) {
        long capacity = mmio.config64(Blk.CFG_CAPACITY);
        int sizeMax = FeatureBit.has(offered, FeatureBit.BLK_SIZE_MAX) ? mmio.config32(Blk.CFG_SIZE_MAX) : 0;
        int segMax = FeatureBit.has(offered, FeatureBit.BLK_SEG_MAX) ? mmio.config32(Blk.CFG_SEG_MAX) : 0;
        boolean geometry = FeatureBit.has(offered, FeatureBit.BLK_GEOMETRY);
        int cyl = geometry ? mmio.config16(Blk.CFG_GEOMETRY_CYLINDERS) : 0;
        int heads = geometry ? mmio.config8(Blk.CFG_GEOMETRY_HEADS) : 0;
        int sectors = geometry ? mmio.config8(Blk.CFG_GEOMETRY_SECTORS) : 0;
        int blkSize = FeatureBit.has(offered, FeatureBit.BLK_BLK_SIZE) ? mmio.config32(Blk.CFG_BLK_SIZE) : 0;
        boolean topology = FeatureBit.has(offered, FeatureBit.BLK_TOPOLOGY);
        int pbe = topology ? mmio.config8(Blk.CFG_PHYSICAL_BLOCK_EXP) : 0;
        int ao = topology ? mmio.config8(Blk.CFG_ALIGNMENT_OFFSET) : 0;
        int minIo = topology ? mmio.config16(Blk.CFG_MIN_IO_SIZE) : 0;
        int optIo = topology ? mmio.config32(Blk.CFG_OPT_IO_SIZE) : 0;
        int wb = withWriteback && FeatureBit.has(offered, FeatureBit.BLK_CONFIG_WCE)
                ? mmio.config8(Blk.CFG_WRITEBACK) : -1;
        int nq = FeatureBit.has(offered, FeatureBit.BLK_MQ) ? mmio.config16(Blk.CFG_NUM_QUEUES) : 0;
        boolean discard = FeatureBit.has(offered, FeatureBit.BLK_DISCARD);
        int mds = discard ? mmio.config32(Blk.CFG_MAX_DISCARD_SECTORS) : 0;
        int mdseg = discard ? mmio.config32(Blk.CFG_MAX_DISCARD_SEG) : 0;
        int dsa = discard ? mmio.config32(Blk.CFG_DISCARD_SECTOR_ALIGNMENT) : 0;
        boolean zeroes = FeatureBit.has(offered, FeatureBit.BLK_WRITE_ZEROES);
        int mwzs = zeroes ? mmio.config32(Blk.CFG_MAX_WRITE_ZEROES_SECTORS) : 0;
        int mwzseg = zeroes ? mmio.config32(Blk.CFG_MAX_WRITE_ZEROES_SEG) : 0;
        int wzmu = zeroes ? mmio.config8(Blk.CFG_WRITE_ZEROES_MAY_UNMAP) : 0;
        boolean erase = FeatureBit.has(offered, FeatureBit.BLK_SECURE_ERASE);
        int mses = erase ? mmio.config32(Blk.CFG_MAX_SECURE_ERASE_SECTORS) : 0;
        int msesg = erase ? mmio.config32(Blk.CFG_MAX_SECURE_ERASE_SEG) : 0;
        int sesa = erase ? mmio.config32(Blk.CFG_SECURE_ERASE_SECTOR_ALIGNMENT) : 0;
        return new BlkConfig(capacity, sizeMax, segMax, cyl, heads, sectors, blkSize, pbe, ao, minIo, optIo, wb,
                nq, mds, mdseg, dsa, mwzs, mwzseg, wzmu, mses, msesg, sesa);
    }
}
