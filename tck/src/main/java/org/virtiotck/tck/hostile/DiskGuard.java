package org.virtiotck.tck.hostile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.spi.HostControl;

/**
 * The disk oracle: a copy of the disk (through {@link HostControl#readDisk} when the target offers it, up to
 * {@value #HOST_CAP} bytes) or of a sentinel band at the start of the disk (written with a pattern and read back
 * through the careful driver otherwise) is taken before a case; afterwards every byte outside the ranges the case
 * may touch must be unchanged.
 */
final class DiskGuard {
    static final int HOST_CAP = 8 << 20;
    /** The sentinel band used without host access: sectors [0, 128). */
    static final int BAND_BYTES = 128 * Blk.SECTOR_SIZE;

    private final Optional<HostControl> host;
    private byte[] before;

    DiskGuard(Optional<HostControl> host) {
        this.host = host;
    }

    /** Takes the baseline; without host access writes the band pattern through {@code d} (when writable). */
    void baseline(BlkDriver d) {
        if (host.isPresent()) {
            HostControl h = host.get();
            before = h.readDisk(0, (int) Math.min(h.diskBytes(), HOST_CAP));
            return;
        }
        int len = (int) Math.min(BAND_BYTES, d.capacity() * Blk.SECTOR_SIZE);
        if (!d.offered(FeatureBit.BLK_RO)) {
            byte[] band = new byte[len];
            new java.util.SplittableRandom(0xD15CL).nextBytes(band);
            Completion w = d.write(0, band);
            if (w.ok()) {
                before = band;
                return;
            }
        }
        Completion r = d.read(0, len);
        before = r.ok() ? r.in() : null;
    }

    /** Compares with the baseline, ignoring {@code allowed} byte ranges ({offset, length}); null when intact. */
    String check(BlkDriver alive, List<long[]> allowed) {
        if (before == null) {
            return null;
        }
        byte[] after;
        if (host.isPresent()) {
            HostControl h = host.get();
            after = h.readDisk(0, (int) Math.min(Math.min(h.diskBytes(), HOST_CAP), before.length));
        } else {
            if (alive == null) {
                return null;
            }
            Completion r = alive.read(0, before.length);
            if (!r.ok()) {
                return null;
            }
            after = r.in();
        }
        byte[] ref = Arrays.copyOf(before, after.length);
        for (long[] r : allowed) {
            long from = Math.max(0, r[0]);
            long to = Math.min(r[0] + r[1], after.length);
            if (to > from) {
                System.arraycopy(ref, (int) from, after, (int) from, (int) (to - from));
            }
        }
        int first = Arrays.mismatch(ref, after);
        if (first < 0) {
            return null;
        }
        int count = 0;
        for (int i = first; i < after.length; i++) {
            if (ref[i] != after[i]) {
                count++;
            }
        }
        return count + " disk byte(s) changed outside the request's range; first at byte " + first + " (sector "
                + first / Blk.SECTOR_SIZE + ")";
    }
}
