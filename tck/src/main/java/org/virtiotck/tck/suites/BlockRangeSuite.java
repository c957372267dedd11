package org.virtiotck.tck.suites;

import static org.virtiotck.spec.Blk.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkConfig;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.BlkRequest.Segment;
import org.virtiotck.tck.driver.ChainLayout;
import org.virtiotck.tck.driver.Completion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Ranged block requests checked on both sides of their edges: every sector a segment names is affected, and no
 * sector next to it. The ranges straddle and exactly cover 64 KiB (128-sector) extents, where a device that keeps
 * its disk in extents switches between a partial and a whole-extent path. Everything stays within the first 256
 * sectors, which a host-aware zoned device keeps conventional (so the suite runs there too), except the
 * per-segment sector-limit tests ({@link SectorLimitRange}), whose one range is as long as the limit allows.
 * DISCARD and WRITE_ZEROES are sent at exactly their advertised segment and sector limits, which the driver may
 * reach (blk.drv.19, blk.drv.21); requests over them break a driver rule and no device rule says what follows,
 * so they are not sent.
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("blk")
class BlockRangeSuite {
    private static final int REGION = 256;
    private static final int EXTENT = 128;

    @Test
    @Verifies({"blk.dev.27", "blk-desc.dev.11"})
    void writeZeroesZeroesExactlyItsRangesAcrossAndOnExtentEdges(Tck tck) {
        Region region = Region.written(tck, FeatureBit.BLK_WRITE_ZEROES, 31);
        BlkDriver d = region.driver();
        BlkConfig c = region.config();
        byte[] model = region.model();
        // A range straddling an extent edge, then a whole extent, then (in one request when the device takes
        // two segments) two short ranges far apart.
        long[][] steps = {{EXTENT - 8, 16}, {0, EXTENT}, {EXTENT + 8, 4, EXTENT + 72, 4}};
        for (long[] ranges : steps) {
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < ranges.length; i += 2) {
                segments.addAll(split(ranges[i], (int) ranges[i + 1], Math.max(1, c.maxWriteZeroesSectors())));
                Arrays.fill(model, (int) ranges[i] * SECTOR_SIZE, (int) (ranges[i] + ranges[i + 1]) * SECTOR_SIZE,
                        (byte) 0);
            }
            submitAll(d, T_WRITE_ZEROES, segments, Math.max(1, c.maxWriteZeroesSeg()));
            expectDisk(d, model, "after WRITE_ZEROES of " + describe(ranges));
        }
    }

    @Test
    @Verifies("blk-desc.dev.11")
    void discardLeavesTheSectorsNextToItsRangesAlone(Tck tck) {
        Region region = Region.written(tck, FeatureBit.BLK_DISCARD, 32);
        BlkDriver d = region.driver();
        BlkConfig c = region.config();
        byte[] model = region.model();
        long start = EXTENT - 8;
        int count = 16;
        List<Segment> segments = split(start, count, Math.max(1, c.maxDiscardSectors()));
        submitAll(d, T_DISCARD, segments, Math.max(1, c.maxDiscardSeg()));
        expectKeptOutside(d, model, segments, "a DISCARD of sectors " + start + ".." + (start + count - 1));
    }

    @Test
    @Verifies({"blk.dev.27", "blk-desc.dev.11"})
    void writeZeroesWithExactlyMaxWriteZeroesSegSegmentsIsServed(Tck tck) {
        Region region = Region.written(tck, FeatureBit.BLK_WRITE_ZEROES, 35);
        BlkConfig c = region.config();
        byte[] model = region.model();
        List<Segment> segments = oddSectors(c.maxWriteZeroesSeg(), c.maxWriteZeroesSectors(), "max_write_zeroes");
        for (Segment s : segments) {
            Arrays.fill(model, (int) s.sector() * SECTOR_SIZE, (int) (s.sector() + 1) * SECTOR_SIZE, (byte) 0);
        }
        submitAll(region.driver(), T_WRITE_ZEROES, segments, segments.size());
        expectDisk(region.driver(), model, "after one WRITE_ZEROES of " + segments.size()
                + " segments (max_write_zeroes_seg " + Integer.toUnsignedString(c.maxWriteZeroesSeg()) + ")");
    }

    @Test
    @Verifies("blk-desc.dev.11")
    void discardWithExactlyMaxDiscardSegSegmentsIsServed(Tck tck) {
        Region region = Region.written(tck, FeatureBit.BLK_DISCARD, 36);
        BlkConfig c = region.config();
        List<Segment> segments = oddSectors(c.maxDiscardSeg(), c.maxDiscardSectors(), "max_discard");
        submitAll(region.driver(), T_DISCARD, segments, segments.size());
        expectKeptOutside(region.driver(), region.model(), segments, "one DISCARD of " + segments.size()
                + " segments (max_discard_seg " + Integer.toUnsignedString(c.maxDiscardSeg()) + ")");
    }

    @Test
    @Verifies({"blk.dev.27", "blk-desc.dev.11"})
    void writeZeroesOfExactlyMaxWriteZeroesSectorsIsServed(Tck tck) {
        SectorLimitRange.of(tck, T_WRITE_ZEROES, 37).check();
    }

    @Test
    @Verifies("blk-desc.dev.11")
    void discardOfExactlyMaxDiscardSectorsIsServed(Tck tck) {
        SectorLimitRange.of(tck, T_DISCARD, 38).check();
    }

    @Test
    @Verifies({"blk-desc.dev.7", "blk-desc.dev.9", "split.dev.16"})
    void requestsLargerThanSixtyFourKibMoveEveryByte(Tck tck) {
        BlkDriver d = tck.ready();
        BlkConfig c = d.readConfig();
        Assumptions.assumeTrue(c.capacity() >= REGION, "needs a disk of at least " + REGION + " sectors");
        // 200 sectors (100 KiB): more than 64 KiB and not a multiple of it, so a device that moves data in
        // 64 KiB pieces must get the last, partial piece right. The cut respects size_max and seg_max.
        int sectors = 200;
        int bytes = sectors * SECTOR_SIZE;
        ChainLayout layout = c.sizeMax() == 0 || c.sizeMax() >= bytes ? ChainLayout.SEPARATE : ChainLayout.FRAGMENTED;
        Assumptions.assumeTrue(layout == ChainLayout.SEPARATE || c.segMax() == 0 || c.segMax() >= sectors,
                "size_max " + c.sizeMax() + " and seg_max " + c.segMax() + " do not allow a 100 KiB request");
        byte[] data = SuiteData.pattern(bytes, 33);
        long at = 16;
        Completion w = d.submit(BlkRequest.write(at, data).withLayout(layout));
        Expect.equal("write of " + sectors + " sectors status", Blk.statusName(S_OK), w.statusName());
        Completion r = d.submit(BlkRequest.read(at, bytes).withLayout(layout));
        Expect.equal("read of " + sectors + " sectors status", Blk.statusName(S_OK), r.statusName());
        Expect.that(Integer.compareUnsigned(r.usedLen(), r.writableBytes()) <= 0,
                "used len <= writable bytes (" + r.writableBytes() + ")", "used len = " + r.usedLen());
        for (int s = 0; s < sectors; s++) {
            Expect.noCorruption(Arrays.equals(data, s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE,
                            r.in(), s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE),
                    "sector " + (at + s) + " of a " + sectors + "-sector read returns what the write put there",
                    "it differs");
        }
        // The same sectors read in 4 KiB requests: the large write put every byte where its sector number says.
        for (int s = 0; s < sectors; s += 8) {
            Completion piece = d.read(at + s, 8 * SECTOR_SIZE);
            Expect.noCorruption(Arrays.equals(data, s * SECTOR_SIZE, (s + 8) * SECTOR_SIZE, piece.in(), 0,
                    8 * SECTOR_SIZE), "sectors " + (at + s) + ".." + (at + s + 7) + " hold their part of the write",
                    "they differ");
        }
    }

    @Test
    @Verifies({"split.dev.1", "blk-desc.dev.7"})
    void aRequestWhoseChainIsAsLongAsTheQueueIsServed(Tck tck) {
        BlkDriver d = tck.ready();
        BlkConfig c = d.readConfig();
        var q = d.queue(0);
        // FRAGMENTED cuts the header in two and the data into 512-byte pieces, plus one status descriptor: a
        // write of size - 3 sectors uses exactly as many descriptors as the queue has, the longest chain allowed.
        int sectors = q.size() - 3;
        Assumptions.assumeTrue(sectors >= 1 && q.freeDescriptors() == q.size(), "needs an idle queue of 4+ entries");
        Assumptions.assumeTrue(c.segMax() == 0 || c.segMax() >= sectors,
                "seg_max " + c.segMax() + " forbids " + sectors + " data segments");
        Assumptions.assumeTrue(c.capacity() >= sectors, "needs a disk of at least " + sectors + " sectors");
        byte[] data = SuiteData.pattern(sectors * SECTOR_SIZE, 34);
        Completion w = d.submit(BlkRequest.write(0, data).withLayout(ChainLayout.FRAGMENTED));
        Expect.equal("write cut into " + q.size() + " descriptors, status", Blk.statusName(S_OK), w.statusName());
        Completion r = d.submit(BlkRequest.read(0, data.length).withLayout(ChainLayout.FRAGMENTED));
        Expect.equal("read cut into " + q.size() + " descriptors, status", Blk.statusName(S_OK), r.statusName());
        Expect.noCorruption(Arrays.equals(data, r.in()), "the read returns what the write put there", "it differs");
    }

    /** A ready device offering {@code feature} whose first {@link #REGION} sectors hold {@code model}. */
    private record Region(BlkDriver driver, BlkConfig config, byte[] model) {
        static Region written(Tck tck, int feature, long seed) {
            tck.assumeOffered(feature);
            BlkDriver d = tck.ready();
            BlkConfig c = d.readConfig();
            Assumptions.assumeTrue(c.capacity() >= REGION, "needs a disk of at least " + REGION + " sectors");
            byte[] model = SuiteData.pattern(REGION * SECTOR_SIZE, seed);
            fill(d, model);
            return new Region(d, c, model);
        }
    }

    /** The range split into segments of at most {@code max} sectors (the limit binds the driver). */
    private static List<Segment> split(long start, int count, int max) {
        List<Segment> out = new ArrayList<>();
        for (int done = 0; done < count; done += Math.min(max, count - done)) {
            out.add(new Segment(start + done, Math.min(max, count - done), 0));
        }
        return out;
    }

    /** Submits the segments in as few requests as the per-request segment limit allows; each must be OK. */
    private static void submitAll(BlkDriver d, int type, List<Segment> segments, int maxSeg) {
        for (int i = 0; i < segments.size(); i += maxSeg) {
            List<Segment> part = segments.subList(i, Math.min(segments.size(), i + maxSeg));
            Completion r = d.submit(BlkRequest.ranges(type, part.toArray(Segment[]::new)));
            Expect.equal(Blk.typeName(type) + " of " + part + " status", Blk.statusName(S_OK), r.statusName());
        }
    }

    /**
     * Exactly {@code maxSeg} one-sector segments on the odd sectors of the region, so each has untouched
     * neighbours; more than {@code REGION / 2} do not fit, and then the test uses that many.
     */
    private static List<Segment> oddSectors(int maxSeg, int maxSectors, String field) {
        Assumptions.assumeTrue(maxSeg != 0, field + "_seg is 0: no request is within the limit");
        Assumptions.assumeTrue(maxSectors != 0, field + "_sectors is 0: no segment is within the limit");
        // The callers' messages name both the count used and the advertised limit.
        long n = Math.min(Integer.toUnsignedLong(maxSeg), REGION / 2);
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Segment(2L * i + 1, 1, 0));
        }
        return out;
    }

    /** Every region sector outside the segments still holds the model (what the segments read is not checked). */
    private static void expectKeptOutside(BlkDriver d, byte[] model, List<Segment> segments, String what) {
        byte[] disk = readRegion(d);
        for (int s = 0; s < REGION; s++) {
            long sector = s;
            if (segments.stream().anyMatch(g -> sector >= g.sector() && sector < g.sector() + g.sectors())) {
                continue; // what a discarded sector reads is the device's choice (blk.dev.25)
            }
            Expect.noCorruption(Arrays.equals(model, s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE,
                            disk, s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE),
                    "sector " + s + " unchanged by " + what, "sector " + s + " changed");
        }
    }

    private static void fill(BlkDriver d, byte[] model) {
        for (int s = 0; s < REGION; s += 8) {
            Completion w = d.write(s, Arrays.copyOfRange(model, s * SECTOR_SIZE, (s + 8) * SECTOR_SIZE));
            Expect.equal("write of sectors " + s + ".." + (s + 7) + " status", Blk.statusName(S_OK), w.statusName());
        }
    }

    private static byte[] readRegion(BlkDriver d) {
        byte[] disk = new byte[REGION * SECTOR_SIZE];
        for (int s = 0; s < REGION; s += 8) {
            Completion r = d.read(s, 8 * SECTOR_SIZE);
            Expect.equal("read of sectors " + s + ".." + (s + 7) + " status", Blk.statusName(S_OK), r.statusName());
            System.arraycopy(r.in(), 0, disk, s * SECTOR_SIZE, 8 * SECTOR_SIZE);
        }
        return disk;
    }

    /** Compares the first {@link #REGION} sectors with the model and names the first sector that differs. */
    private static void expectDisk(BlkDriver d, byte[] model, String when) {
        byte[] disk = readRegion(d);
        for (int s = 0; s < REGION; s++) {
            boolean zero = isZero(model, s);
            Expect.noCorruption(Arrays.equals(model, s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE,
                            disk, s * SECTOR_SIZE, (s + 1) * SECTOR_SIZE),
                    "sector " + s + (zero ? " reads zeroes " : " keeps its data ") + when,
                    "sector " + s + (zero ? " has non-zero bytes" : " changed"));
        }
    }

    private static boolean isZero(byte[] b, int sector) {
        for (int i = sector * SECTOR_SIZE; i < (sector + 1) * SECTOR_SIZE; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(long[] ranges) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            sb.append(i == 0 ? "" : " and ").append("sectors ").append(ranges[i]).append("..")
                    .append(ranges[i] + ranges[i + 1] - 1);
        }
        return sb.toString();
    }
}
