package org.virtiotck.tck.suites;

import static org.virtiotck.spec.Blk.*;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkConfig;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.BlkRequest.Segment;
import org.virtiotck.tck.driver.ChainLayout;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;
import org.virtiotck.tck.spi.HostControl;

/** Block requests (§5.2.6): every request type, framing, the capacity boundary and read-only disks. */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("blk")
class BlockIoSuite {

    private static void expectOk(String what, Completion c) {
        Expect.equal(what + " status", Blk.statusName(S_OK), c.statusName());
    }

    @Test
    @Verifies({"blk-desc.dev.7", "blk-desc.dev.9", "split.dev.16"})
    void writtenSectorsReadBack(Tck tck) {
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(4096, 1);
        expectOk("write of 8 sectors at sector 8", d.write(8, data));
        Completion r = d.read(8, 4096);
        expectOk("read", r);
        Expect.that(Arrays.equals(data, r.in()), "read returns the written bytes", "different bytes");
        Expect.that(Integer.compareUnsigned(r.usedLen(), r.writableBytes()) <= 0,
                "used len <= writable bytes (" + r.writableBytes() + ")", "used len = " + r.usedLen());
        // Sector 9 alone reads the second 512 bytes: sector numbers count 512-byte units.
        Completion one = d.read(9, 512);
        Expect.that(Arrays.equals(Arrays.copyOfRange(data, 512, 1024), one.in()),
                "sector 9 holds bytes 512..1023 of the write", "different bytes");
    }

    @Test
    @Verifies("split.dev.16")
    void usedLenCountsTheBytesReallyWritten(Tck tck) {
        BlkDriver d = tck.ready();
        d.write(0, SuiteData.pattern(512, 2));
        Completion r = d.read(0, 512);
        Expect.that(r.usedLen() >= 1 && r.usedLen() <= 513, "used len between 1 and 513 for a 512-byte read",
                "used len = " + r.usedLen());
        // Every byte the device claims to have written must differ from the 0xa5 fill where the disk differs.
        byte[] expected = SuiteData.pattern(512, 2);
        int claimed = Math.min(512, r.usedLen());
        Expect.that(Arrays.equals(Arrays.copyOf(expected, claimed), Arrays.copyOf(r.in(), claimed)),
                "the first " + claimed + " data bytes (used len) hold the disk contents", "they do not");
    }

    @ParameterizedTest(name = "{0} [split.dev.1]")
    @EnumSource(value = ChainLayout.class, names = {"SEPARATE", "FRAGMENTED", "MERGED"})
    @Verifies("split.dev.1")
    void anyDescriptorLayoutWorks(ChainLayout layout, Tck tck) {
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(2048, layout.ordinal() + 10);
        expectOk(layout + " write", d.submit(BlkRequest.write(16, data).withLayout(layout)));
        Completion r = d.submit(BlkRequest.read(16, 2048).withLayout(layout));
        expectOk(layout + " read", r);
        Expect.that(Arrays.equals(data, r.in()), layout + " read returns the written bytes", "different bytes");
    }

    @ParameterizedTest(name = "{0} [split.dev.8]")
    @EnumSource(value = ChainLayout.class, names = {"INDIRECT", "DIRECT_THEN_INDIRECT"})
    @Verifies("split.dev.8")
    void indirectDescriptorsWork(ChainLayout layout, Tck tck) {
        tck.assumeOffered(FeatureBit.INDIRECT_DESC);
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(1024, 20);
        expectOk(layout + " write", d.submit(BlkRequest.write(4, data).withLayout(layout)));
        Completion r = d.submit(BlkRequest.read(4, 1024).withLayout(layout));
        expectOk(layout + " read", r);
        Expect.that(Arrays.equals(data, r.in()), layout + " read returns the written bytes", "different bytes");
    }

    @Test
    @Verifies("split.dev.7")
    void writeFlagOnAnIndirectTablePointerIsIgnored(Tck tck) {
        tck.assumeOffered(FeatureBit.INDIRECT_DESC);
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(512, 40);
        expectOk("write", d.write(6, data));
        BlkDriver.Pending p = d.build(0, BlkRequest.read(6, 512).withLayout(ChainLayout.INDIRECT));
        var q = p.queue();
        int pointer = q.chain(p.head())[0];
        Descriptor ptr = Descriptor.decode(d.ram().read(q.layout().descEntry(pointer), Descriptor.SIZE), 0);
        // Same descriptor, now also flagged WRITE: a device must ignore that flag on a table pointer.
        q.writeDescriptor(pointer, ptr.addr(), (int) ptr.len(),
                org.virtiotck.spec.SplitRing.DESC_F_INDIRECT | org.virtiotck.spec.SplitRing.DESC_F_WRITE, 0);
        q.publish(p.head());
        d.kick(q);
        Completion r = d.await(p);
        expectOk("read through an indirect table whose pointer has WRITE set", r);
        Expect.that(Arrays.equals(data, r.in()), "read returns the written bytes", "different bytes");
    }

    @Test
    @Verifies({"split.dev.3", "split.dev.6"})
    void deviceWritesNeitherReadableBuffersNorDescriptors(Tck tck) {
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(1024, 30);
        BlkRequest req = BlkRequest.write(2, data).withLayout(ChainLayout.FRAGMENTED);
        BlkDriver.Pending p = d.build(0, req);
        var q = p.queue();
        int tableBytes = (int) q.layout().descBytes();
        byte[] table = d.ram().read(q.layout().desc(), tableBytes);
        // The header and data sit right before the writable area in the scratch region the driver allocated.
        long readableStart = p.scratchMark();
        int readableLen = (int) (p.inGpa() - readableStart);
        byte[] readable = d.ram().read(readableStart, readableLen);
        q.publish(p.head());
        d.kick(q);
        expectOk("write", d.await(p));
        Expect.noCorruption(Arrays.equals(table, d.ram().read(q.layout().desc(), tableBytes)),
                "descriptor table unchanged by the device", "the device modified descriptors");
        Expect.noCorruption(Arrays.equals(readable, d.ram().read(readableStart, readableLen)),
                "device-readable buffers unchanged by the device", "the device wrote into them");
    }

    @Test
    @Verifies({"blk-desc.dev.8", "blk-desc.dev.9"})
    void flushCompletesWithOk(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_FLUSH);
        BlkDriver d = tck.ready();
        d.write(0, SuiteData.pattern(512, 3));
        expectOk("flush", d.flush());
    }

    @Test
    @Verifies("blk-desc.dev.12")
    void getIdReturnsANulPaddedSerial(Tck tck) {
        BlkDriver d = tck.ready();
        Completion c = d.submit(BlkRequest.getId());
        if (c.status() == S_UNSUPP) {
            return; // GET_ID is optional; UNSUPP is the defined answer for a device without it
        }
        expectOk("GET_ID", c);
        byte[] id = c.in();
        // A driver may rely only on the first used-len bytes of the writable area (split.drv.17): bytes the device
        // did not vouch for are not judged. A device that reports the whole 20 bytes as written owns all of them.
        int judged = Math.max(0, Math.min(ID_BYTES, c.usedLen()));
        int end = 0;
        while (end < judged && id[end] != 0) {
            end++;
        }
        for (int i = end; i < judged; i++) {
            Expect.equal("GET_ID byte " + i + " after the serial's end (used len " + c.usedLen() + ")", 0,
                    id[i] & 0xff);
        }
        for (int i = 0; i < end; i++) {
            Expect.that(id[i] >= 0x20 && id[i] < 0x7f, "printable ASCII serial",
                    "byte " + i + " = 0x" + Integer.toHexString(id[i] & 0xff));
        }
    }

    @Test
    @Verifies({"blk-desc.dev.13", "blk.dev.36"})
    void lifetimeHoldsNoReservedValues(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_LIFETIME);
        BlkDriver d = tck.ready();
        expectLifetimeValid(d, "on a fresh device");
        // Again once the device has moved all-ones data: a field it forgot to fill would show what its buffers held.
        byte[] ones = new byte[1024];
        Arrays.fill(ones, (byte) 0xff);
        d.write(0, ones);
        d.read(0, ones.length);
        expectLifetimeValid(d, "after a read of all-ones sectors");
    }

    private static void expectLifetimeValid(BlkDriver d, String when) {
        Completion c = d.submit(BlkRequest.getLifetime());
        expectOk("GET_LIFETIME " + when, c);
        int preEol = (int) org.virtiotck.tck.driver.Le.get(c.in(), 0, 2);
        int estA = (int) org.virtiotck.tck.driver.Le.get(c.in(), 2, 2);
        int estB = (int) org.virtiotck.tck.driver.Le.get(c.in(), 4, 2);
        Expect.that(preEol <= 3, "pre_eol_info <= 3 " + when, "pre_eol_info = " + preEol);
        Expect.that(estA <= 11, "device_lifetime_est_typ_a <= 11 " + when, "= " + estA);
        Expect.that(estB <= 11, "device_lifetime_est_typ_b <= 11 " + when, "= " + estB);
    }

    @Test
    @Verifies("blk-desc.dev.10")
    @BreaksDriverRules("sends a request type the spec does not define")
    void unknownRequestTypeIsUnsupported(Tck tck) {
        BlkDriver d = tck.ready();
        // 2, 3 and 5 are legacy SCSI and FLUSH_OUT codes, so they are left out here.
        for (int type : new int[] {6, 7, 99, 0x7fffffff}) {
            Completion c = d.submit(BlkRequest.of(type, 0, null, 0));
            Expect.equal("status for request type " + type, Blk.statusName(S_UNSUPP), c.statusName());
        }
    }

    @Test
    @Verifies("blk.dev.37")
    void zoneRequestsAreUnsupportedWithoutZoned(Tck tck) {
        BlkDriver d = tck.driver();
        Expect.that(d.initialize(~FeatureBit.mask(FeatureBit.BLK_ZONED)).ok(), "init without ZONED", "refused");
        for (int type : Blk.ZONE_TYPES) {
            int in = type == T_ZONE_REPORT ? 64 : type == T_ZONE_APPEND ? 8 : 0;
            byte[] out = type == T_ZONE_APPEND ? new byte[512] : null;
            Completion c = d.submit(BlkRequest.of(type, 0, out, in));
            Expect.equal(Blk.typeName(type) + " status without ZONED", Blk.statusName(S_UNSUPP), c.statusName());
        }
    }

    @Test
    @Verifies("split.dev.16")
    void usedLenOfAnUnsupportedRequestCountsOnlyBytesWritten(Tck tck) {
        BlkDriver d = tck.driver();
        Expect.that(d.initialize(~FeatureBit.mask(FeatureBit.BLK_ZONED)).ok(), "init without ZONED", "refused");
        // ZONE_REPORT without ZONED completes with UNSUPP (blk.dev.37): there is no report to put in its buffer.
        expectUsedBytesWritten(d, BlkRequest.of(T_ZONE_REPORT, 0, null, 64), 63);
    }

    @Test
    @Verifies("split.dev.16")
    @BreaksDriverRules("reads past the capacity, which drivers must not do (blk.drv.12)")
    void usedLenOfAFailedReadCountsOnlyBytesWritten(Tck tck) {
        BlkDriver d = tck.ready();
        expectUsedBytesWritten(d, BlkRequest.read(d.readConfig().capacity(), 512), 64);
    }

    @Test
    @Verifies("split.dev.16")
    @BreaksDriverRules("reads past the capacity, which drivers must not do (blk.drv.12)")
    void usedLenOfAFailedReadIntoSeveralBuffersCountsOnlyBytesWritten(Tck tck) {
        BlkDriver d = tck.ready();
        BlkConfig c = d.readConfig();
        Assumptions.assumeTrue(c.segMax() == 0 || c.segMax() >= 3,
                "seg_max " + c.segMax() + " forbids 3 data segments");
        // FRAGMENTED gives each of the three data sectors a writable buffer of its own: whatever the device writes
        // into the data area of the failed read must land in every buffer the used len covers, not only the first.
        BlkRequest read = BlkRequest.read(c.capacity(), 3 * SECTOR_SIZE).withLayout(ChainLayout.FRAGMENTED);
        expectUsedBytesWritten(d, read, 65);
    }

    /**
     * Submits {@code req} twice, its writable area filled first with a seeded pattern and then with that pattern's
     * complement, and fails when the used len claims data bytes the device left as the driver filled them both times
     * (split.dev.16: the device has written at least len bytes from the start of the writable area before it
     * advances used idx). Whatever a device writes, it cannot equal a byte and its complement; a device that reports
     * len 1 (the status only, as some do) or pads the data area it did not fill passes.
     */
    private static void expectUsedBytesWritten(BlkDriver d, BlkRequest req, long seed) {
        int data = req.inLength();
        byte[] fill = SuiteData.pattern(data + 1, seed);
        boolean[] unwritten = new boolean[data];
        Arrays.fill(unwritten, true);
        long claimed = data;
        Completion c = null;
        for (int round = 0; round < 2; round++) {
            BlkDriver.Pending p = d.build(0, req);
            d.ram().write(p.inGpa(), fill);
            p.queue().publish(p.head());
            d.kick(p.queue());
            c = d.await(p);
            d.ram().resetTo(p.scratchMark());
            claimed = Math.min(claimed, Integer.toUnsignedLong(c.usedLen()));
            for (int i = 0; i < data; i++) {
                unwritten[i] &= c.in()[i] == fill[i];
                fill[i] = (byte) ~fill[i];
            }
        }
        int first = 0;
        while (first < claimed && !unwritten[first]) {
            first++;
        }
        Expect.that(first == claimed, req + " (" + c.statusName() + "): used len counts only bytes the device wrote",
                "used len " + Integer.toUnsignedString(c.usedLen()) + " covers data byte " + first
                        + ", which the device left as the driver filled it (a seeded pattern, then its complement)");
    }

    @Test
    @Verifies("blk.dev.27")
    void writeZeroesReadsBackAsZeroes(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_WRITE_ZEROES);
        BlkDriver d = tck.ready();
        for (int unmap : new int[] {0, SEGMENT_FLAG_UNMAP}) {
            d.write(32, SuiteData.pattern(2048, 4));
            Completion c = d.submit(BlkRequest.ranges(T_WRITE_ZEROES, new Segment(32, 4, unmap)));
            expectOk("WRITE_ZEROES (unmap=" + unmap + ")", c);
            Completion r = d.read(32, 2048);
            Expect.that(Arrays.equals(new byte[2048], r.in()), "zeroes after WRITE_ZEROES (unmap=" + unmap + ")",
                    "non-zero bytes");
        }
    }

    @Test
    @Verifies("blk.dev.24")
    @BreaksDriverRules("sets the unmap flag on DISCARD, which drivers must not do (blk.drv.24)")
    void discardWithUnmapIsUnsupported(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_DISCARD);
        BlkDriver d = tck.ready();
        Completion c = d.submit(BlkRequest.ranges(T_DISCARD, new Segment(0, 1, SEGMENT_FLAG_UNMAP)));
        Expect.equal("DISCARD with unmap status", Blk.statusName(S_UNSUPP), c.statusName());
    }

    @Test
    @Verifies("blk.dev.23")
    void reservedSegmentFlagsAreUnsupported(Tck tck) {
        BlkDriver d = tck.ready();
        int[][] cases = {{FeatureBit.BLK_DISCARD, T_DISCARD}, {FeatureBit.BLK_WRITE_ZEROES, T_WRITE_ZEROES},
                {FeatureBit.BLK_SECURE_ERASE, T_SECURE_ERASE}};
        int checked = 0;
        for (int[] k : cases) {
            if (!d.negotiated(k[0])) {
                continue;
            }
            Completion c = d.submit(BlkRequest.ranges(k[1], new Segment(0, 1, 0x4)));
            Expect.equal(Blk.typeName(k[1]) + " with reserved flag bit 2", Blk.statusName(S_UNSUPP), c.statusName());
            checked++;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(checked > 0, "no DISCARD, WRITE_ZEROES or SECURE_ERASE offered");
    }

    @Test
    @Verifies("blk-desc.dev.11")
    void discardAndSecureEraseAcceptSegments(Tck tck) {
        BlkDriver d = tck.ready();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                d.negotiated(FeatureBit.BLK_DISCARD) || d.negotiated(FeatureBit.BLK_SECURE_ERASE),
                "neither DISCARD nor SECURE_ERASE offered");
        if (d.negotiated(FeatureBit.BLK_DISCARD)) {
            // As many segments as the device allows, up to two (max_discard_seg binds the driver).
            int segs = Math.max(1, Math.min(2, d.readConfig().maxDiscardSeg()));
            Segment[] ranges = segs == 2 ? new Segment[] {new Segment(64, 8, 0), new Segment(128, 8, 0)}
                    : new Segment[] {new Segment(64, 8, 0)};
            expectOk("DISCARD of " + segs + " segment(s)", d.submit(BlkRequest.ranges(T_DISCARD, ranges)));
        }
        if (d.negotiated(FeatureBit.BLK_SECURE_ERASE)) {
            int align = Math.max(1, d.readConfig().secureEraseSectorAlignment());
            expectOk("SECURE_ERASE", d.submit(BlkRequest.ranges(T_SECURE_ERASE, new Segment(0, align, 0))));
        }
        // Data elsewhere is untouched.
        byte[] keep = SuiteData.pattern(512, 5);
        d.write(300, keep);
        if (d.negotiated(FeatureBit.BLK_DISCARD)) {
            d.submit(BlkRequest.ranges(T_DISCARD, new Segment(64, 8, 0)));
        }
        Expect.that(Arrays.equals(keep, d.read(300, 512).in()), "sectors outside the ranges unchanged",
                "sector 300 changed");
    }

    @Test
    @Verifies("blk-desc.dev.10")
    @BreaksDriverRules("reads past the capacity, which drivers must not do (blk.drv.12)")
    void readPastCapacityFailsAndWritesNoData(Tck tck) {
        BlkDriver d = tck.ready();
        long capacity = d.readConfig().capacity();
        Completion c = d.read(capacity, 512);
        Expect.that(c.status() == S_IOERR || c.status() == S_UNSUPP, "IOERR for a read past capacity",
                c.statusName());
        Completion huge = d.read(Long.MIN_VALUE >>> 1, 512); // sector * 512 overflows 64 bits
        Expect.that(huge.status() == S_IOERR || huge.status() == S_UNSUPP,
                "IOERR for a sector whose byte offset overflows", huge.statusName());
        // Sector 2^64 - 2^55: negative as a signed 64-bit number yet small in magnitude, so capacity - sector does not
        // overflow, and its byte offset wraps to exactly 0: a device that compares signed, or checks only the length
        // against capacity - sector, serves sector 0 here.
        Completion top = d.read(-(1L << 55), 512);
        Expect.that(top.status() == S_IOERR || top.status() == S_UNSUPP,
                "IOERR for sector 2^64 - 2^55 (its byte offset wraps to sector 0)", top.statusName());
    }

    @Test
    @Tag("read-only-disk")
    @Verifies({"blk.dev.21", "blk.dev.22"})
    void writesToAReadOnlyDiskFailAndChangeNothing(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_RO);
        BlkDriver d = tck.ready().judgingRefusals();
        byte[] before = d.read(10, 1024).in();
        Completion w = d.write(10, SuiteData.pattern(1024, 6));
        Expect.equal("write status on a read-only device", Blk.statusName(S_IOERR), w.statusName());
        Expect.noCorruption(Arrays.equals(before, d.read(10, 1024).in()), "sectors unchanged",
                "the write reached the disk");
        tck.target().host().filter(h -> tck.info().has(org.virtiotck.tck.spi.TargetInfo.Capability.DISK_ACCESS))
                .ifPresent(h -> Expect.noCorruption(
                Arrays.equals(before, h.readDisk(10 * 512L, 1024)), "backing disk unchanged", "it changed"));
    }

    @Test
    @Tag("read-only-disk")
    @Verifies({"blk.dev.21", "blk.dev.22"})
    void writeZeroesOnAReadOnlyDiskFailsAndChangesNothing(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_RO, FeatureBit.BLK_WRITE_ZEROES);
        BlkDriver d = tck.ready().judgingRefusals();
        byte[] before = d.read(10, 1024).in();
        // WRITE_ZEROES writes (zeroes) to the disk, so it is a write request; a device that does not support it on a
        // read-only disk may say so instead (UNSUPP). What it may not do is succeed, or change the sectors.
        Completion c = d.submit(BlkRequest.ranges(T_WRITE_ZEROES, new Segment(10, 2, 0)));
        Expect.that(c.status() == S_IOERR || c.status() == S_UNSUPP,
                "WRITE_ZEROES on a read-only device fails (IOERR)", c.statusName());
        Expect.noCorruption(Arrays.equals(before, d.read(10, 1024).in()), "sectors unchanged",
                "WRITE_ZEROES reached the disk");
    }

    @Test
    @Verifies("blk.dev.31")
    void writesAreDurableBeforeCompletionWithoutWriteCache(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_FLUSH);
        HostControl host = tck.assumeDiskAccess();
        BlkDriver d = tck.driver();
        long neither = ~(FeatureBit.mask(FeatureBit.BLK_FLUSH) | FeatureBit.mask(FeatureBit.BLK_CONFIG_WCE));
        Expect.that(d.initialize(neither).ok(), "init without FLUSH and CONFIG_WCE", "refused");
        byte[] data = SuiteData.pattern(1024, 7);
        expectOk("write", d.write(40, data));
        Expect.that(Arrays.equals(data, host.readDisk(40 * 512L, 1024)),
                "the backing disk holds the data once the write completed", "it does not");
    }

    @Test
    @Verifies("blk.dev.32")
    void flushMakesCompletedWritesDurable(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_FLUSH);
        HostControl host = tck.assumeDiskAccess();
        BlkDriver d = tck.ready();
        byte[] data = SuiteData.pattern(2048, 8);
        expectOk("write", d.write(50, data));
        expectOk("flush", d.flush());
        Expect.that(Arrays.equals(data, host.readDisk(50 * 512L, 2048)),
                "the backing disk holds the data once FLUSH completed", "it does not");
    }

    @Test
    @Verifies("blk-desc.dev.7")
    void requestsOnEveryQueueAreServed(Tck tck) {
        BlkDriver d = tck.ready();
        for (int q = 0; q < d.queueCount(); q++) {
            byte[] data = SuiteData.pattern(512, 100 + q);
            expectOk("write on queue " + q, d.submit(q, BlkRequest.write(q, data)));
            Expect.that(Arrays.equals(data, d.submit(q, BlkRequest.read(q, 512)).in()),
                    "read back on queue " + q, "different bytes");
        }
    }
}
