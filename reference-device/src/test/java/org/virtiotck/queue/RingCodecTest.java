package org.virtiotck.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.virtiotck.memory.GuestMemory;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.spec.SplitRing;

class RingCodecTest {
    private static final long RAM = 0x4000_0000L;

    @Test
    void descriptorBytesAreLittleEndianInSpecOrder() {
        byte[] b = new Descriptor(0x0102030405060708L, 0x11223344L, 0x0003, 0xabcd).bytes();
        assertThat(HexFormat.of().formatHex(b)).isEqualTo("0807060504030201" + "44332211" + "0300" + "cdab");
    }

    @Test
    void descriptorRoundTripsThroughBytesAtAnOffsetKeepingRawValues() {
        Descriptor[] cases = {
            new Descriptor(0, 0, 0, 0),
            new Descriptor(-1L, 0xffff_ffffL, 0xffff, 0xffff),
            new Descriptor(RAM + 0x1230, 512, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_WRITE, 7),
            new Descriptor(0x8000_0000_0000_0000L, 0x8000_0000L, SplitRing.DESC_F_INDIRECT | 0x8000, 0x8000),
        };
        byte[] b = new byte[3 + 16 * cases.length];
        for (int i = 0; i < cases.length; i++) {
            cases[i].encode(b, 3 + 16 * i);
        }
        for (int i = 0; i < cases.length; i++) {
            assertThat(Descriptor.decode(b, 3 + 16 * i)).isEqualTo(cases[i]);
        }
    }

    @Test
    void descriptorFieldsAreCutToTheirWidths() {
        Descriptor d = new Descriptor(1, -1L, 0x1_0001, -2);
        assertThat(d.len()).isEqualTo(0xffff_ffffL);
        assertThat(d.flags()).isEqualTo(1);
        assertThat(d.next()).isEqualTo(0xfffe);
        byte[] b = new byte[16];
        Descriptor.encode(b, 0, 5, 0x1_0000_0010L, 0x2_0004, 0x3_0002);
        assertThat(Descriptor.decode(b, 0)).isEqualTo(new Descriptor(5, 0x10, 4, 2));
    }

    @Test
    void descriptorFlagsAreRead() {
        Descriptor d = new Descriptor(0, 0, SplitRing.DESC_F_NEXT | SplitRing.DESC_F_INDIRECT, 0);
        assertThat(d.hasNext()).isTrue();
        assertThat(d.indirect()).isTrue();
        assertThat(d.writable()).isFalse();
        assertThat(new Descriptor(0, 0, SplitRing.DESC_F_WRITE, 0).writable()).isTrue();
    }

    @Test
    void descriptorAndUsedElementRoundTripThroughGuestMemory() {
        GuestMemory m = SegmentGuestMemory.allocate(RAM, 4096);
        Descriptor d = new Descriptor(RAM + 64, 0xfedc_ba98L, 0xfff7, 0x1234);
        d.write(m, RAM + 16);
        assertThat(Descriptor.read(m, RAM + 16)).isEqualTo(d);
        assertThat(Descriptor.decode(m.read(RAM + 16, 16), 0)).isEqualTo(d);

        UsedElem.write(m, RAM + 100, 0x8000_0001, -1);
        UsedElem e = UsedElem.read(m, RAM + 100);
        assertThat(e).isEqualTo(new UsedElem(0x8000_0001, -1));
        assertThat(e.lenUnsigned()).isEqualTo(0xffff_ffffL);
        byte[] b = new byte[10];
        e.encode(b, 2);
        assertThat(UsedElem.decode(b, 2)).isEqualTo(e);
        assertThat(HexFormat.of().formatHex(b, 2, 10)).isEqualTo("01000080ffffffff");
    }

    @Test
    void modernLayoutAddressesEveryField() {
        RingLayout l = RingLayout.modern(16, 0x1000, 0x2000, 0x3000);
        assertThat(l.descEntry(5)).isEqualTo(0x1050);
        assertThat(l.availIdx()).isEqualTo(0x2002);
        assertThat(l.availEntry(3)).isEqualTo(0x200a);
        assertThat(l.usedEvent()).isEqualTo(0x2000 + 4 + 32);
        assertThat(l.usedIdx()).isEqualTo(0x3002);
        assertThat(l.usedEntry(3)).isEqualTo(0x3000 + 4 + 24);
        assertThat(l.availEvent()).isEqualTo(0x3000 + 4 + 128);
        assertThat(l.descBytes()).isEqualTo(256);
        assertThat(l.availBytes()).isEqualTo(38);
        assertThat(l.usedBytes()).isEqualTo(134);
    }

    @Test
    void ringSlotsWrapWithTheFreeRunningIndex() {
        RingLayout l = RingLayout.modern(256, 0, 0x1000, 0x2000);
        assertThat(l.availEntry(0xffff)).isEqualTo(0x1000 + 4 + 2 * 255);
        assertThat(l.availEntry(0x10000)).isEqualTo(0x1000 + 4);
        assertThat(l.usedEntry(0xffff)).isEqualTo(0x2000 + 4 + 8 * 255);
        assertThat(l.usedEntry(256 + 7)).isEqualTo(l.usedEntry(7));
        // A size that is not a power of two (a driver that broke split-desc.drv.1) still maps idx modulo size.
        RingLayout odd = RingLayout.modern(3, 0, 0x1000, 0x2000);
        assertThat(odd.availEntry(0xffff)).isEqualTo(0x1000 + 4);   // 65535 % 3 == 0
        assertThat(odd.usedEntry(0xfffe)).isEqualTo(0x2000 + 4 + 8 * 2);
        assertThat(RingLayout.slot(-1, 3)).isEqualTo(0);            // 2^32 - 1 unsigned
        assertThat(RingLayout.availEntry(0x1000, 256, 0xffff)).isEqualTo(l.availEntry(0xffff));
        assertThat(RingLayout.usedEntry(0x2000, 256, 0x1_0001)).isEqualTo(l.usedEntry(1));
    }

    @Test
    void legacyLayoutMatchesKnownValues() {
        // 256 entries, 4 KiB alignment (the vring_size arithmetic of legacy drivers): desc 4096 bytes, avail 518,
        // used ring at 8192, 10246 bytes in all.
        RingLayout l = RingLayout.legacyFromPfn(256, 0x10, 4096, 4096);
        assertThat(l.desc()).isEqualTo(0x10000);
        assertThat(l.avail()).isEqualTo(0x11000);
        assertThat(l.used()).isEqualTo(0x12000);
        assertThat(RingLayout.legacyBytes(256, 4096)).isEqualTo(10246);
        assertThat(l.used() + l.usedBytes() - l.desc()).isEqualTo(RingLayout.legacyBytes(256, 4096));

        // 16 entries: desc 256 + avail 38 = 294 bytes before the used ring.
        assertThat(RingLayout.legacy(16, 0x20000, 4096).used()).isEqualTo(0x21000);
        assertThat(RingLayout.legacy(16, 0x20000, 16).used()).isEqualTo(0x20130);
        assertThat(RingLayout.legacy(16, 0x20000, 4).used()).isEqualTo(0x20128);
        // 64 KiB pages.
        assertThat(RingLayout.legacyFromPfn(16, 3, 65536, 4096).desc()).isEqualTo(0x30000);
    }

    @Test
    void legacyAlignmentEdgeCases() {
        // One entry: desc 16 + avail 8 = 24 bytes, already a multiple of 8 and 4: the used ring follows directly.
        assertThat(RingLayout.legacy(1, 0, 8).used()).isEqualTo(24);
        assertThat(RingLayout.legacy(1, 0, 4).used()).isEqualTo(24);
        assertThat(RingLayout.legacy(1, 0, 16).used()).isEqualTo(32);
        // Alignment 1: no padding at all.
        assertThat(RingLayout.legacy(16, 0, 1).used()).isEqualTo(294);
        // An alignment larger than the rings: the used ring starts one alignment unit from the base.
        assertThat(RingLayout.legacy(1, 0x100000, 65536).used()).isEqualTo(0x110000);
        // The largest queue: desc 512 KiB + avail 65542 bytes, used at the next 4 KiB.
        RingLayout max = RingLayout.legacy(SplitRing.MAX_QUEUE_SIZE, 0, 4096);
        assertThat(max.avail()).isEqualTo(0x80000);
        assertThat(max.used()).isEqualTo(0x91000);
        // QueuePFN is unsigned: bit 31 set is a high address, not a negative one.
        assertThat(RingLayout.legacyFromPfn(8, 0x8000_0000, 4096, 4096).desc()).isEqualTo(0x800_0000_0000L);
    }

    @Test
    void alignmentAndPlacementChecks() {
        assertThat(RingLayout.modern(8, 0x1000, 0x1002, 0x1004).aligned()).isTrue();
        assertThat(RingLayout.modern(8, 0x1008, 0x1002, 0x1004).aligned()).isFalse();
        assertThat(RingLayout.modern(8, 0x1000, 0x1001, 0x1004).aligned()).isFalse();
        assertThat(RingLayout.modern(8, 0x1000, 0x1002, 0x1006).aligned()).isFalse();
        GuestMemory m = SegmentGuestMemory.allocate(RAM, 4096);
        assertThat(RingLayout.modern(8, RAM, RAM + 0x200, RAM + 0x400).inside(m)).isTrue();
        long usedAtEnd = RAM + 4096 - SplitRing.usedRingBytes(8);
        assertThat(RingLayout.modern(8, RAM, RAM + 0x200, usedAtEnd).inside(m)).isTrue();
        assertThat(RingLayout.modern(8, RAM, RAM + 0x200, usedAtEnd + 1).inside(m)).isFalse();
        assertThat(RingLayout.modern(8, RAM - 16, RAM + 0x200, RAM + 0x400).inside(m)).isFalse();
    }

    @Test
    void registersGiveTheLegacyLayout() {
        QueueRegisters r = new QueueRegisters();
        r.size = 16;
        r.pfn = 0x21;
        r.applyLegacyLayout(4096, 16);
        assertThat(r.layout()).isEqualTo(RingLayout.legacy(16, 0x21000, 16));
    }
}
