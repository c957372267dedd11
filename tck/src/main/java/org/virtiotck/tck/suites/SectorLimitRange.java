package org.virtiotck.tck.suites;

import static org.virtiotck.spec.Blk.SECTOR_SIZE;
import static org.virtiotck.spec.Blk.S_OK;
import static org.virtiotck.spec.Blk.T_DISCARD;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkConfig;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.BlkRequest.Segment;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.spi.TargetInfo;

/**
 * One DISCARD or WRITE_ZEROES segment of exactly the advertised per-segment sector limit, with a written sector
 * on each side. A limit larger than {@link #CAP} sectors, or than a disk the host cannot grow, is tested at what
 * fits (and the test says so): every sector of the range is written before and read after, so the cap keeps the
 * test fast.
 */
record SectorLimitRange(BlkDriver driver, int type, long start, int count, String limit, byte[] model, int chunk) {
    /** 16 MiB: the largest range written and read back. */
    static final int CAP = 32768;

    static SectorLimitRange of(Tck tck, int type, long seed) {
        boolean discard = type == T_DISCARD;
        tck.assumeOffered(discard ? FeatureBit.BLK_DISCARD : FeatureBit.BLK_WRITE_ZEROES);
        BlkDriver d = tck.ready();
        BlkConfig c = d.readConfig();
        // A DISCARD starts on the advertised alignment (a hint for the driver's splitting) when it is small.
        int align = discard ? c.discardSectorAlignment() : 0;
        long start = align > 0 && align <= 256 ? align : 1;
        String field = discard ? "max_discard_sectors" : "max_write_zeroes_sectors";
        long max = Integer.toUnsignedLong(discard ? c.maxDiscardSectors() : c.maxWriteZeroesSectors());
        int maxSeg = discard ? c.maxDiscardSeg() : c.maxWriteZeroesSeg();
        Assumptions.assumeTrue(max != 0, field + " is 0: no segment is within the limit");
        Assumptions.assumeTrue(maxSeg != 0, (discard ? "max_discard_seg" : "max_write_zeroes_seg")
                + " is 0: no request is within the limit");
        // A limit longer than the disk is reached by growing the disk first when the host can (the device announces
        // the new capacity, blk.dev.19); the cap bounds what that costs.
        var host = tck.target().host().filter(h -> tck.info().has(TargetInfo.Capability.RESIZE));
        if (max <= CAP && c.capacity() < start + max + 1 && host.isPresent()) {
            host.get().resizeCapacity(start + max + 1);
            c = d.readConfig();
        }
        Assumptions.assumeTrue(c.capacity() >= start + 2, "needs a disk of at least " + (start + 2) + " sectors");
        long fits = Math.min(CAP, c.capacity() - start - 1);
        int count = (int) Math.min(max, fits);
        String limit = field + " " + max + (count < max ? ", tested at " + count + " sectors (" + (fits == CAP
                ? "the test's cap" : "what the disk holds after sector " + start) + ")" : "");
        byte[] model = SuiteData.pattern((count + 2) * SECTOR_SIZE, seed);
        SectorLimitRange r = new SectorLimitRange(d, type, start, count, limit, model, chunk(c));
        r.writeModel();
        return r;
    }

    /** Sectors per read or write: 64 KiB, or less when size_max is smaller. */
    private static int chunk(BlkConfig c) {
        int bytes = c.sizeMax() == 0 ? 65536 : (int) Math.min(65536, Integer.toUnsignedLong(c.sizeMax()));
        return Math.max(1, bytes / SECTOR_SIZE);
    }

    private void writeModel() {
        for (int s = 0; s < count + 2; s += chunk) {
            int n = Math.min(chunk, count + 2 - s);
            byte[] data = Arrays.copyOfRange(model, s * SECTOR_SIZE, (s + n) * SECTOR_SIZE);
            Completion w = driver.write(start - 1 + s, data);
            Expect.equal("write of " + n + " sectors at " + (start - 1 + s) + " status", Blk.statusName(S_OK),
                    w.statusName());
        }
    }

    /**
     * Submits the segment and checks the sectors either side keep their data; for WRITE_ZEROES, also that every
     * sector of the range reads zeroes (blk.dev.27). What a discarded sector reads is the device's choice.
     */
    void check() {
        String what = Blk.typeName(type) + " of sectors " + start + ".." + (start + count - 1) + " (" + limit + ")";
        Completion r = driver.submit(BlkRequest.ranges(type, new Segment(start, count, 0)));
        Expect.equal(what + " status", Blk.statusName(S_OK), r.statusName());
        byte[] zero = new byte[SECTOR_SIZE];
        for (int s = 0; s < count + 2; s += chunk) {
            int n = Math.min(chunk, count + 2 - s);
            Completion rd = driver.read(start - 1 + s, n * SECTOR_SIZE);
            Expect.equal("read of " + n + " sectors at " + (start - 1 + s) + " status", Blk.statusName(S_OK),
                    rd.statusName());
            for (int i = 0; i < n; i++) {
                int at = s + i;
                boolean edge = at == 0 || at == count + 1;
                if (!edge && type == T_DISCARD) {
                    continue;
                }
                byte[] want = edge ? Arrays.copyOfRange(model, at * SECTOR_SIZE, (at + 1) * SECTOR_SIZE) : zero;
                Expect.noCorruption(Arrays.equals(want, 0, SECTOR_SIZE, rd.in(), i * SECTOR_SIZE,
                                (i + 1) * SECTOR_SIZE),
                        "sector " + (start - 1 + at) + (edge ? " keeps its data after " : " reads zeroes after ")
                                + what, edge ? "it changed" : "it has non-zero bytes");
            }
        }
    }
}
