package org.virtiotck.tck.suites;

import static org.virtiotck.spec.Blk.*;
import static org.virtiotck.tck.driver.ZonedDriver.op;
import static org.virtiotck.tck.hostile.HostileCase.Transport.BOTH;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.ChainLayout;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Zone;
import org.virtiotck.tck.driver.ZonedConfig;
import org.virtiotck.tck.hostile.AcceptableResponses;
import org.virtiotck.tck.hostile.BugClass;
import org.virtiotck.tck.hostile.ChainBuilder;
import org.virtiotck.tck.hostile.HostileCase;
import org.virtiotck.tck.hostile.HostileRun;
import org.virtiotck.tck.hostile.Reaction;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Hostile zone requests on a device with VIRTIO_BLK_F_ZONED negotiated: a ZONE_REPORT whose device-writable part
 * cannot hold the 64-byte report header, one whose sector lies past the last zone (blk.drv.28), and a ZONE_APPEND
 * with no room for append_sector before the status byte. None of them is a request the driver may send, so the
 * device may answer as it likes; what it must not do is write guest memory outside the chain's writable buffers.
 *
 * <p>Each case first completes a well-formed ZONE_REPORT whose answer is cut into many writable descriptors, takes
 * those buffers back (they are the driver's free memory again and hold canaries), and only then sends the short
 * chain: a device that keeps the previous chain's buffer list and runs off the end of the short one writes into
 * memory it was given for the earlier request only. The oracles are those of {@link HostileRun}: guest-memory
 * canaries, the disk outside the request, liveness after a reset (with ZONED negotiated again). Every case SKIPs on
 * a device that does not offer ZONED or whose model is NONE.
 */
@Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
@VirtioSuite("hostile")
@BreaksDriverRules("zone requests whose buffers cannot hold the answer, or a ZONE_REPORT past the last zone "
        + "(blk.drv.28)")
class ZonedHostileSuite {
    /** Whatever it answers, or a device error: the driver broke the request's framing or blk.drv.28. */
    static final AcceptableResponses ANY_ANSWER = AcceptableResponses.of(COMPLETED_OK, COMPLETED_IOERR,
            COMPLETED_UNSUPP, COMPLETED_BAD_STATUS, NEEDS_RESET_WITH_CONFIG_IRQ);
    static final String[] IDS = {"split.dev.3"};
    /** Writable pieces of the earlier, well-formed ZONE_REPORT (one per 512 bytes, FRAGMENTED layout). */
    static final int EARLIER_PIECES = 5;

    static final List<HostileCase> CASES = List.of(
            hc("zone-report.no-room-for-header", BugClass.SHORT_GET_ID, "ZONE_REPORT with only the status byte "
                    + "writable", a -> shortReport(a, 0)),
            hc("zone-report.40-byte-buffer", BugClass.SHORT_GET_ID, "ZONE_REPORT into 40 bytes (the header is 64)",
                    a -> shortReport(a, 40)),
            hc("zone-report.past-last-zone", BugClass.SECTOR_RANGE, "ZONE_REPORT from 4 zones past the last one "
                    + "(blk.drv.28), room for one descriptor", ZonedHostileSuite::reportPastLastZone),
            hc("zone-append.no-room-for-append-sector", BugClass.SHORT_GET_ID, "ZONE_APPEND of one write unit with "
                    + "only the status byte writable", a -> shortAppend(a, 0)),
            hc("zone-append.4-byte-buffer", BugClass.SHORT_GET_ID, "ZONE_APPEND of one write unit with 4 bytes "
                    + "before the status (append_sector is 8)", a -> shortAppend(a, 4)));

    static Stream<HostileCase> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Verifies("split.dev.3")
    void hostileZoneRequest(HostileCase c, Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        HostileRun.run(c, tck);
    }

    // ------------------------------------------------------------------ scenarios

    /** ZONE_REPORT of sector 0 with {@code inLen} writable bytes before the status byte. */
    private static Reaction shortReport(HostileRun a, int inLen) {
        zonedSetUp(a);
        long hdr = a.header(T_ZONE_REPORT, 0);
        long in = inLen > 0 ? a.in(inLen) : -1;
        long status = a.status();
        earlierLongChain(a);
        ChainBuilder c = a.chain().r(hdr, HEADER_SIZE);
        if (inLen > 0) {
            c.w(in, inLen);
        }
        return a.submit(c.w(status, 1).direct(), status);
    }

    /** ZONE_REPORT from the start of the zone four past the last one, with room for the header and a descriptor. */
    private static Reaction reportPastLastZone(HostileRun a) {
        ZonedConfig z = zonedSetUp(a);
        long sector = (z.zoneCount() + 4) * z.zoneSectors();
        long hdr = a.header(T_ZONE_REPORT, sector);
        int inLen = ZONE_REPORT_HEADER_SIZE + ZONE_DESCRIPTOR_SIZE;
        long in = a.in(inLen);
        long status = a.status();
        earlierLongChain(a);
        return a.submit(a.chain().r(hdr, HEADER_SIZE).w(in, inLen).w(status, 1).direct(), status);
    }

    /** ZONE_APPEND of one write_granularity unit to an empty SWR zone, {@code inLen} bytes before the status. */
    private static Reaction shortAppend(HostileRun a, int inLen) {
        ZonedConfig z = zonedSetUp(a);
        Zone target = ZonedChecks.swrZone(a.driver(), z);
        a.allowDisk(target.start(), z.unitSectors());
        long hdr = a.header(T_ZONE_APPEND, target.start());
        long data = a.out(z.unit(), 0x2a99);
        long in = inLen > 0 ? a.in(inLen) : -1;
        long status = a.status();
        earlierLongChain(a);
        ChainBuilder c = a.chain().r(hdr, HEADER_SIZE).r(data, z.unit());
        if (inLen > 0) {
            c.w(in, inLen);
        }
        return a.submit(c.w(status, 1).direct(), status);
    }

    // ------------------------------------------------------------------ steps

    /** Zoned initialization, every zone reset, and the zoned characteristics (SKIP for model NONE). */
    private static ZonedConfig zonedSetUp(HostileRun a) {
        BlkDriver d = a.initZoned();
        ZonedConfig z = ZonedChecks.zonedModel(d);
        Completion reset = op(d, T_ZONE_RESET_ALL, 0);
        if (!reset.ok()) {
            throw new AssertionError("ZONE_RESET_ALL before the hostile step: " + reset);
        }
        return z;
    }

    /**
     * A well-formed ZONE_REPORT of sector 0 whose answer is cut into {@value #EARLIER_PIECES} writable descriptors
     * of 512 bytes, completed and taken back; then the canaries go in (into those buffers too) and the disk
     * baseline is taken. Buffers of the short chain must be allocated before this, so that they never overlap it.
     */
    private static void earlierLongChain(HostileRun a) {
        BlkRequest req = BlkRequest.of(T_ZONE_REPORT, 0, null, EARLIER_PIECES * SECTOR_SIZE)
                .withLayout(ChainLayout.FRAGMENTED);
        Completion c = a.driver().submit(req);
        if (!c.ok()) {
            throw new AssertionError("a well-formed ZONE_REPORT cut into " + EARLIER_PIECES + " writable buffers "
                    + "before the hostile step: " + c);
        }
        a.arm();
    }

    private static HostileCase hc(String id, BugClass cls, String what, HostileCase.Scenario scenario) {
        return new HostileCase(id, cls, what, BOTH, ANY_ANSWER, List.of(IDS), scenario);
    }
}
