package org.virtiotck.tck.suites;

import static org.virtiotck.tck.hostile.BugClass.*;
import static org.virtiotck.tck.hostile.ChainScenarios.*;
import static org.virtiotck.tck.hostile.HostileCase.Transport.BOTH;
import static org.virtiotck.tck.hostile.Reaction.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.hostile.AcceptableResponses;
import org.virtiotck.tck.hostile.HostileRun;
import org.virtiotck.tck.hostile.BugClass;
import org.virtiotck.tck.hostile.ChainScenarios;
import org.virtiotck.tck.hostile.HostileCase;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Hostile descriptor chains (hostile classes 1 to 8, 17 and 18): loops, bad indices, wild addresses, zero lengths,
 * short headers, impossible sectors, wrong directions, indirect abuse, huge sizes and short GET_ID buffers.
 *
 * <p>{@link #CASES} is the acceptable-response model as data: one row per case with what it allows; the
 * scenarios live next to the hostile model ({@link ChainScenarios}). Whatever the
 * reaction, the oracles of {@link HostileRun} must see no harm: no guest memory written outside the writable buffers
 * and the used ring, no disk byte changed outside the request, no crash, no hang, no chain used twice, no leaked
 * slot, and the device must work again after a reset.
 */
@Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
@VirtioSuite("hostile")
@BreaksDriverRules("hostile-driver cases break driver rules on purpose")
class HostileChainSuite {

    // ---------------------------------------------------------------- what the cases accept

    /** Refuse: DEVICE_NEEDS_RESET (+ config interrupt), or fail the request. */
    static final AcceptableResponses REFUSE = AcceptableResponses.of(NEEDS_RESET_WITH_CONFIG_IRQ, COMPLETED_IOERR,
            COMPLETED_UNSUPP);
    /** Refuse, or give a chain without a status byte back unanswered. */
    static final AcceptableResponses REFUSE_OR_RETURN = REFUSE.and(RETURNED_WITHOUT_STATUS);
    /** Only DEVICE_NEEDS_RESET: there is no chain the device could give back. */
    static final AcceptableResponses NEEDS_RESET_ONLY = AcceptableResponses.of(NEEDS_RESET_WITH_CONFIG_IRQ);
    /** The device may also make sense of it and succeed; it just must do no harm. */
    static final AcceptableResponses TOLERATE = REFUSE.and(COMPLETED_OK);
    static final AcceptableResponses TOLERATE_OR_RETURN = TOLERATE.and(RETURNED_WITHOUT_STATUS);
    /**
     * A buffer outside guest RAM: refuse, or treat the addresses as the platform does (QEMU bounces them like MMIO:
     * reads give zeros, writes are dropped) and complete. Whatever it does, the canaries must stay intact.
     */
    static final AcceptableResponses OUTSIDE_RAM = TOLERATE;
    /** A request outside the disk: IOERR, or a device error. */
    static final AcceptableResponses IOERR_OR_RESET = AcceptableResponses.of(COMPLETED_IOERR,
            NEEDS_RESET_WITH_CONFIG_IRQ);

    static final String[] SIGNAL = {"status.dev.3", "status.dev.4"};
    static final String[] LOOP_IDS = {"split.dev.2", "status.dev.3", "status.dev.4"};
    static final String[] ADDR_IDS = {"split.dev.3", "status.dev.3", "status.dev.4"};
    static final String[] FRAMING_IDS = {"blk-desc.dev.7", "split.dev.3", "status.dev.3", "status.dev.4"};
    static final String[] SECTOR_IDS = {"blk-desc.dev.9", "blk-desc.dev.10"};
    static final String[] INDIRECT_IDS = {"split.dev.6", "status.dev.3", "status.dev.4"};
    static final String[] HUGE_IDS = {"split.dev.2", "split.dev.3", "status.dev.3", "status.dev.4"};
    static final String[] GET_ID_IDS = {"blk-desc.dev.12", "split.dev.3"};

    // ---------------------------------------------------------------- the case table

    static final List<HostileCase> CASES = List.of(
            // 1. loops and chains longer than the queue
            hc("loop.head-to-itself.direct", LOOPS, "header descriptor links to itself", REFUSE_OR_RETURN, LOOP_IDS,
                    read(Mode.DIRECT, (a, c, r) -> c.link(0, 0))),
            hc("loop.middle-to-head.direct", LOOPS, "data descriptor links back to the header", REFUSE_OR_RETURN,
                    LOOP_IDS, read(Mode.DIRECT, (a, c, r) -> c.link(1, 0))),
            hc("loop.last-to-head.direct", LOOPS, "status descriptor links back to the header", REFUSE_OR_RETURN,
                    LOOP_IDS, read(Mode.DIRECT, (a, c, r) -> c.link(2, 0))),
            hc("loop.long-cycle.direct", LOOPS, "12-descriptor cycle through most of a 16-entry queue",
                    REFUSE_OR_RETURN, LOOP_IDS, ChainScenarios::longCycle),
            hc("loop.middle.indirect", LOOPS, "indirect data entry links to itself", REFUSE_OR_RETURN, LOOP_IDS,
                    read(Mode.INDIRECT, (a, c, r) -> c.link(1, 1))),
            hc("loop.last-to-first.indirect", LOOPS, "last indirect entry links to the first", REFUSE_OR_RETURN,
                    LOOP_IDS, read(Mode.INDIRECT, (a, c, r) -> c.link(2, 0))),
            hc("loop.empty-entry.indirect", LOOPS, "empty indirect data entry links to itself (adds no bytes)",
                    REFUSE_OR_RETURN, LOOP_IDS, read(Mode.INDIRECT, (a, c, r) -> c.len(1, 0).link(1, 1))),
            hc("loop.table.mixed", LOOPS, "header direct, indirect status entry links to the data entry",
                    REFUSE_OR_RETURN, LOOP_IDS, read(Mode.MIXED, (a, c, r) -> c.link(2, 1))),

            // 2. head or next index out of range
            hc("index.head-equals-size", INDEX_OUT_OF_RANGE, "available ring names head = queue size",
                    NEEDS_RESET_ONLY, SIGNAL, a -> badHead(a, -1)),
            hc("index.head-ffff", INDEX_OUT_OF_RANGE, "available ring names head 0xffff", NEEDS_RESET_ONLY, SIGNAL,
                    a -> badHead(a, 0xffff)),
            hc("index.next.first.direct", INDEX_OUT_OF_RANGE, "header's next = queue size + 3", REFUSE_OR_RETURN,
                    SIGNAL, read(Mode.DIRECT, (a, c, r) -> c.nextRaw(0, a.q().size() + 3))),
            hc("index.next.middle.direct", INDEX_OUT_OF_RANGE, "data descriptor's next = 0xffff", REFUSE_OR_RETURN,
                    SIGNAL, read(Mode.DIRECT, (a, c, r) -> c.nextRaw(1, 0xffff))),
            hc("index.next.last.direct", INDEX_OUT_OF_RANGE, "status descriptor has NEXT to the queue size",
                    REFUSE_OR_RETURN, SIGNAL, read(Mode.DIRECT, (a, c, r) -> c.nextRaw(2, a.q().size()))),
            hc("index.next.middle.indirect", INDEX_OUT_OF_RANGE, "indirect entry's next past the 3-entry table",
                    REFUSE_OR_RETURN, SIGNAL, read(Mode.INDIRECT, (a, c, r) -> c.nextRaw(1, 7))),
            hc("index.next.just-past-table.indirect", INDEX_OUT_OF_RANGE, "indirect table declared 2 entries long: "
                    + "the header links to entry 2, a well-formed status right after the table", REFUSE_OR_RETURN,
                    SIGNAL, ChainScenarios::linkJustPastTable),

            // 3. addresses outside RAM and wrapping
            hc("addr.data-straddles-2^52.direct", ADDRESS_OUTSIDE_RAM, "read buffer from 2^52-256 to 2^52+256 "
                    + "(past every physical address space)", OUTSIDE_RAM, ADDR_IDS,
                    read(Mode.DIRECT, (a, c, r) -> c.w0(1, (1L << 52) - 256))),
            hc("addr.data-wraps-2^64.direct", ADDRESS_OUTSIDE_RAM, "read buffer at 2^64-512, 1024 bytes long",
                    OUTSIDE_RAM, ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> c.w0(1, -512L).len(1, 1024))),
            hc("addr.header-at-2^56.direct", ADDRESS_OUTSIDE_RAM, "header at guest-physical 2^56", OUTSIDE_RAM,
                    ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> c.w0(0, 1L << 56))),
            hc("addr.data-high.indirect", ADDRESS_OUTSIDE_RAM, "read buffer at 0xffffffff00000000", OUTSIDE_RAM,
                    ADDR_IDS, read(Mode.INDIRECT, (a, c, r) -> c.w0(1, 0xffffffff00000000L))),
            hc("addr.status-wraps.indirect", ADDRESS_OUTSIDE_RAM, "status buffer at 2^64-1, 2 bytes long",
                    OUTSIDE_RAM.and(RETURNED_WITHOUT_STATUS), ADDR_IDS, read(Mode.INDIRECT, (a, c, r) -> {
                        c.w0(2, -1L).len(2, 2);
                        r.status = -1;
                    })),
            hc("addr.table-wraps", ADDRESS_OUTSIDE_RAM, "indirect table at 2^64-16, 48 bytes long", OUTSIDE_RAM.and(RETURNED_WITHOUT_STATUS),
                    ADDR_IDS, ChainScenarios::wrappingTable),
            hc("addr.write-data-at-2^60.mixed", ADDRESS_OUTSIDE_RAM, "write data at guest-physical 2^60", OUTSIDE_RAM,
                    ADDR_IDS, write(Mode.MIXED, (a, c, r) -> c.w0(1, 1L << 60))),

            // 4. zero-length buffers and status descriptors
            hc("zero.data-in-middle.direct", ZERO_LENGTH, "zero-length writable descriptor before the data",
                    TOLERATE, FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.insertW(1, r.data, 0))),
            hc("zero.header-first.direct", ZERO_LENGTH, "zero-length readable descriptor before the header",
                    TOLERATE, FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.insertR(0, r.hdr, 0))),
            hc("zero.status.direct", ZERO_LENGTH, "status descriptor of length 0 after 512 data bytes",
                    TOLERATE_OR_RETURN, FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> {
                        c.len(2, 0);
                        r.status = r.data + 511;
                    })),
            hc("zero.status-inside-header.direct", ZERO_LENGTH, "status descriptor of length 0 pointing into the "
                    + "header, after 512 data bytes", TOLERATE_OR_RETURN, FRAMING_IDS,
                    read(Mode.DIRECT, (a, c, r) -> {
                        c.len(2, 0).w0(2, r.hdr + 8);
                        r.status = r.data + 511;
                    })),
            hc("zero.status-only-writable.direct", ZERO_LENGTH, "FLUSH whose only writable descriptor is empty",
                    REFUSE_OR_RETURN, FRAMING_IDS, flush(Mode.DIRECT, (a, c, r) -> {
                        c.len(1, 0);
                        r.status = -1;
                    })),
            hc("zero.everything.indirect", ZERO_LENGTH, "header and status both of length 0", REFUSE_OR_RETURN,
                    FRAMING_IDS, flush(Mode.INDIRECT, (a, c, r) -> {
                        c.len(0, 0).len(1, 0);
                        r.status = -1;
                    })),
            hc("missing.status.flush.direct", ZERO_LENGTH, "FLUSH with no writable descriptor at all",
                    REFUSE_OR_RETURN, FRAMING_IDS, flush(Mode.DIRECT, (a, c, r) -> {
                        c.drop(1);
                        r.status = -1;
                    })),
            hc("missing.status.write.mixed", ZERO_LENGTH, "WRITE with header and data but no status",
                    REFUSE_OR_RETURN, FRAMING_IDS, write(Mode.MIXED, (a, c, r) -> {
                        c.drop(2);
                        r.status = -1;
                        a.allowDisk(r.sector, 1);
                    })),

            // 5. short or missing header
            hc("header.8-bytes.direct", SHORT_HEADER, "READ whose readable part is 8 bytes", REFUSE,
                    FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.len(0, 8))),
            hc("header.15-bytes.direct", SHORT_HEADER, "READ whose readable part is 15 bytes", REFUSE,
                    FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.len(0, 15))),
            hc("header.7+8-split.direct", SHORT_HEADER, "15 header bytes split over two descriptors", REFUSE,
                    FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.len(0, 7).insertR(1, r.hdr + 7, 8))),
            hc("header.missing.direct", SHORT_HEADER, "no device-readable descriptor at all", REFUSE,
                    FRAMING_IDS, read(Mode.DIRECT, (a, c, r) -> c.drop(0))),
            hc("header.12-bytes.indirect", SHORT_HEADER, "12-byte header in an indirect table", REFUSE,
                    FRAMING_IDS, read(Mode.INDIRECT, (a, c, r) -> c.len(0, 12))),
            hc("header.empty.mixed", SHORT_HEADER, "zero-length header direct, data and status indirect", REFUSE,
                    FRAMING_IDS, read(Mode.MIXED, (a, c, r) -> c.len(0, 0))),

            // 6. sectors out of range and sector x 512 overflowing
            hc("sector.read-at-capacity.direct", SECTOR_RANGE, "READ of the sector just past the end",
                    IOERR_OR_RESET, SECTOR_IDS, request(Blk.T_IN, a -> a.driver().capacity(), 512, Mode.DIRECT)),
            hc("sector.read-straddles-end.indirect", SECTOR_RANGE, "READ of 2 sectors from the last one",
                    IOERR_OR_RESET, SECTOR_IDS, request(Blk.T_IN, a -> a.driver().capacity() - 1, 1024,
                            Mode.INDIRECT)),
            hc("sector.write-at-capacity.direct", SECTOR_RANGE, "WRITE of the sector just past the end",
                    IOERR_OR_RESET, SECTOR_IDS, request(Blk.T_OUT, a -> a.driver().capacity(), 512, Mode.DIRECT)),
            hc("sector.write-2^55.direct", SECTOR_RANGE, "WRITE at sector 2^55 (x 512 wraps to byte 0)",
                    IOERR_OR_RESET, SECTOR_IDS, request(Blk.T_OUT, a -> 1L << 55, 512, Mode.DIRECT)),
            hc("sector.write-2^55+1.mixed", SECTOR_RANGE, "WRITE at sector 2^55+1 (x 512 wraps to byte 512)",
                    IOERR_OR_RESET, SECTOR_IDS, request(Blk.T_OUT, a -> (1L << 55) + 1, 1024, Mode.MIXED)),
            hc("sector.write-max.indirect", SECTOR_RANGE, "WRITE at sector 2^64-1", IOERR_OR_RESET, SECTOR_IDS,
                    request(Blk.T_OUT, a -> -1L, 512, Mode.INDIRECT)),
            hc("sector.write-zeroes-2^55.direct", SECTOR_RANGE, "WRITE_ZEROES segment at sector 2^55, 8 sectors",
                    IOERR_OR_RESET.and(COMPLETED_UNSUPP), SECTOR_IDS, a -> segments(a, Blk.T_WRITE_ZEROES,
                            FeatureBit.BLK_WRITE_ZEROES, 1L << 55, 8, 1, -1)),
            hc("sector.discard-straddles-end.direct", SECTOR_RANGE, "DISCARD of 16 sectors from the last one",
                    IOERR_OR_RESET.and(COMPLETED_UNSUPP), SECTOR_IDS, a -> segments(a, Blk.T_DISCARD,
                            FeatureBit.BLK_DISCARD, -2, 16, 1, -1)),

            // 7. readable after writable, direction contrary to the type
            hc("direction.readable-after-data.direct", DIRECTION, "readable descriptor between data and status",
                    TOLERATE, ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> c.insertR(2, a.out(16, 7), 16))),
            hc("direction.status-readable.direct", DIRECTION, "status descriptor not device-writable",
                    REFUSE_OR_RETURN, ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> {
                        r.status = a.readOnlyStatus();
                        c.w0(2, r.status).flags(2, 0);
                        a.untouchedStatusMeansNone();
                    })),
            hc("direction.header-writable.direct", DIRECTION, "header descriptor marked device-writable", TOLERATE,
                    ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> {
                        c.flags(0, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE);
                        a.robustnessIf(COMPLETED_OK, "took the request header from a device-writable buffer and "
                                + "served the request (blk-desc.dev.7 frames the header as device-readable)");
                    })),
            hc("direction.read-into-readable.direct", DIRECTION, "READ whose data buffer is device-readable",
                    TOLERATE, ADDR_IDS, read(Mode.DIRECT, (a, c, r) -> c.flags(1, SplitRing.DESC_F_NEXT))),
            hc("direction.write-from-writable.indirect", DIRECTION, "WRITE whose data buffer is device-writable",
                    TOLERATE, ADDR_IDS, write(Mode.INDIRECT, (a, c, r) -> {
                        c.flags(1, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE);
                        a.allowWrite(r.data, 512);
                    })),
            hc("direction.get-id-into-readable.direct", DIRECTION, "GET_ID whose id buffer is device-readable",
                    TOLERATE, ADDR_IDS, a -> getId(a, Mode.DIRECT, new int[] {20}, false)),
            hc("direction.readable-after-data.indirect", DIRECTION, "indirect: readable entry after the data",
                    TOLERATE, ADDR_IDS, read(Mode.INDIRECT, (a, c, r) -> c.insertR(2, a.out(16, 8), 16))),

            // 8. indirect abuse
            hc("indirect.length-0", INDIRECT_ABUSE, "indirect descriptor of length 0", REFUSE_OR_RETURN,
                    INDIRECT_IDS, a -> tableLength(a, 0)),
            hc("indirect.length-24", INDIRECT_ABUSE, "indirect table of 24 bytes (not a multiple of 16)",
                    TOLERATE_OR_RETURN, INDIRECT_IDS, a -> tableLength(a, 24)),
            hc("indirect.length-past-32768-entries", INDIRECT_ABUSE, "indirect table length 16 x 32769",
                    TOLERATE_OR_RETURN, INDIRECT_IDS, a -> tableLength(a, 16L * 32769)),
            hc("indirect.nested", INDIRECT_ABUSE, "an indirect entry pointing at another table",
                    TOLERATE_OR_RETURN, INDIRECT_IDS, ChainScenarios::nestedIndirect),
            hc("indirect.with-next", INDIRECT_ABUSE, "INDIRECT and NEXT on the same descriptor",
                    TOLERATE_OR_RETURN, INDIRECT_IDS, ChainScenarios::indirectWithNext),
            hc("indirect.larger-than-queue", INDIRECT_ABUSE, "a 19-entry table on an 8-entry queue", TOLERATE,
                    INDIRECT_IDS, ChainScenarios::tableLargerThanQueue),
            hc("indirect.not-negotiated", INDIRECT_ABUSE, "INDIRECT used without VIRTIO_F_INDIRECT_DESC",
                    TOLERATE_OR_RETURN, INDIRECT_IDS, ChainScenarios::indirectNotNegotiated),

            // 17. huge lengths and counts
            hc("huge.read-len-ffffffff.direct", EXHAUSTION, "READ buffer of 0xffffffff bytes", REFUSE, HUGE_IDS,
                    read(Mode.DIRECT, (a, c, r) -> {
                        c.len(1, 0xffffffffL);
                        a.allowWrite(r.data, a.ramEnd() - r.data);
                    })),
            hc("huge.write-lengths-sum-2^32.direct", EXHAUSTION, "WRITE data 0xfffffe00 + 0x200 bytes (2^32)",
                    REFUSE, HUGE_IDS, write(Mode.DIRECT, (a, c, r) -> {
                        c.len(1, 0xfffffe00L).insertR(2, r.data, 0x200);
                        a.allowDisk(r.sector, 1L << 23);
                    })),
            hc("huge.4096-empty-entries.indirect", EXHAUSTION, "indirect table of 4096 empty chained entries",
                    REFUSE_OR_RETURN, HUGE_IDS, ChainScenarios::manyEmptyEntries),
            hc("huge.read-whole-disk.direct", EXHAUSTION, "READ of the whole disk into one descriptor", TOLERATE,
                    HUGE_IDS, a -> wholeDisk(a)),
            hc("huge.write-zeroes-ffffffff-sectors", EXHAUSTION, "WRITE_ZEROES of 0xffffffff sectors at sector 0",
                    IOERR_OR_RESET.and(COMPLETED_UNSUPP), HUGE_IDS, a -> segments(a, Blk.T_WRITE_ZEROES,
                            FeatureBit.BLK_WRITE_ZEROES, 0, -1, 1, -1)),
            hc("huge.discard-4096-segments", EXHAUSTION, "DISCARD carrying 4096 segments", TOLERATE, HUGE_IDS,
                    a -> segments(a, Blk.T_DISCARD, FeatureBit.BLK_DISCARD, 128, 1, 4096, 128)),

            // 18. GET_ID into short buffers
            hc("get-id.8-bytes.direct", SHORT_GET_ID, "GET_ID with an 8-byte buffer", TOLERATE, GET_ID_IDS,
                    a -> getId(a, Mode.DIRECT, new int[] {8}, true)),
            hc("get-id.19-bytes.direct", SHORT_GET_ID, "GET_ID with a 19-byte buffer", TOLERATE, GET_ID_IDS,
                    a -> getId(a, Mode.DIRECT, new int[] {19}, true)),
            hc("get-id.no-buffer.direct", SHORT_GET_ID, "GET_ID with only the status byte", TOLERATE, GET_ID_IDS,
                    a -> getId(a, Mode.DIRECT, new int[0], true)),
            hc("get-id.10+9-split.direct", SHORT_GET_ID, "GET_ID into two descriptors of 10 and 9 bytes", TOLERATE,
                    GET_ID_IDS, a -> getId(a, Mode.DIRECT, new int[] {10, 9}, true)),
            hc("get-id.19-bytes.indirect", SHORT_GET_ID, "GET_ID with a 19-byte buffer, indirect", TOLERATE,
                    GET_ID_IDS, a -> getId(a, Mode.INDIRECT, new int[] {19}, true)),
            hc("get-id.19-bytes-merged-status.mixed", SHORT_GET_ID, "GET_ID: one 20-byte writable descriptor "
                    + "holding 19 id bytes and the status", TOLERATE, GET_ID_IDS, ChainScenarios::getIdMerged));

    static Stream<HostileCase> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Verifies({"split.dev.2", "split.dev.3", "split.dev.6", "status.dev.3", "status.dev.4", "blk-desc.dev.7",
            "blk-desc.dev.9", "blk-desc.dev.10", "blk-desc.dev.12"})
    void hostileChain(HostileCase c, Tck tck) {
        HostileRun.run(c, tck);
    }

    private static HostileCase hc(String id, BugClass cls, String what, AcceptableResponses accept, String[] ids,
                                  HostileCase.Scenario scenario) {
        return new HostileCase(id, cls, what, BOTH, accept, List.of(ids), scenario);
    }
}
