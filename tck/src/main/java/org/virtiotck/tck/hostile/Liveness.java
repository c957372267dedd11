package org.virtiotck.tck.hostile;

import java.util.Arrays;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.ZonedDriver;
import org.virtiotck.tck.spi.Target;

/**
 * The liveness oracle after a hostile case: a device reset, a careful re-initialization and one round trip must
 * work. A plain case writes two sectors at {@link HostileRun#LIVE_SECTOR} and reads them back (only reads them on
 * a read-only device); a zoned case negotiates ZONED again and asks for a one-zone ZONE_REPORT of sector 0,
 * because a zoned disk need not accept a write at a fixed sector (sequential zones) nor a driver without ZONED
 * (host-managed, blk.dev.8).
 *
 * @param driver  the re-initialized driver, for the disk check; null when the device did not recover
 * @param problem why the device did not recover, or null
 */
record Liveness(BlkDriver driver, String problem) {

    static Liveness check(Target target, boolean zoned) {
        BlkDriver fresh = new BlkDriver(target);
        String problem;
        try {
            problem = zoned ? zonedRoundTrip(fresh) : plainRoundTrip(fresh);
        } catch (CompletionTimeout e) {
            problem = "request after reset: " + e.getMessage();
        } catch (AssertionError e) {
            problem = "re-initialization: " + e.getMessage();
        }
        return new Liveness(problem == null ? fresh : null, problem);
    }

    private static String plainRoundTrip(BlkDriver fresh) {
        String problem = initProblem(fresh.initialize(HostileRun.DEFAULT_WANTED, 0), fresh);
        if (problem != null) {
            return problem;
        }
        byte[] data = HostileRun.pattern(2 * Blk.SECTOR_SIZE, 0x11fe);
        boolean ro = fresh.offered(FeatureBit.BLK_RO);
        if (!ro) {
            Completion w = fresh.write(HostileRun.LIVE_SECTOR, data);
            if (!w.ok()) {
                return "WRITE after reset: " + w;
            }
        }
        Completion rd = fresh.read(HostileRun.LIVE_SECTOR, data.length);
        if (!rd.ok()) {
            return "READ after reset: " + rd;
        }
        if (!ro && !Arrays.equals(data, rd.in())) {
            return "READ after reset returned other bytes than the WRITE before it";
        }
        return null;
    }

    private static String zonedRoundTrip(BlkDriver fresh) {
        fresh.begin();
        String problem = initProblem(fresh.finish(ZonedDriver.features(fresh) & HostileRun.DEFAULT_WANTED, 0), fresh);
        if (problem != null) {
            return problem;
        }
        int len = Blk.ZONE_REPORT_HEADER_SIZE + Blk.ZONE_DESCRIPTOR_SIZE;
        Completion c = fresh.submit(BlkRequest.of(Blk.T_ZONE_REPORT, 0, null, len));
        return c.ok() ? null : "ZONE_REPORT of sector 0 after reset: " + c;
    }

    private static String initProblem(BlkDriver.Init init, BlkDriver fresh) {
        if (!init.ok()) {
            return "careful re-initialization failed: " + init.problem();
        }
        if ((fresh.mmio().status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
            return "DEVICE_NEEDS_RESET still set after reset and re-initialization";
        }
        return null;
    }
}
