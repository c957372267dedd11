package org.virtiotck.tck.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.tck.driver.SplitQueue.Buf;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/** The driver-side ring bookkeeping, checked against guest memory directly. */
class SplitQueueTest {

    @Test
    void publishWritesRingEntriesAcrossTheRingEndAndOneIndexUpdate() {
        try (Target t = Targets.open("reference")) {
            GuestRam ram = new GuestRam(t);
            SplitQueue q = SplitQueue.allocateModern(ram, 0, 4);
            q.assumeIndices(3, 3);
            q.publish(7, 8, 9);
            assertThat(ram.le16(q.layout().avail() + 2)).isEqualTo(6);
            assertThat(ram.le16(q.layout().avail() + 4 + 2 * 3)).isEqualTo(7);
            assertThat(ram.le16(q.layout().avail() + 4)).isEqualTo(8);
            assertThat(ram.le16(q.layout().avail() + 4 + 2)).isEqualTo(9);
        }
    }

    @Test
    void chainsTakeAndReturnDescriptors() {
        try (Target t = Targets.open("reference")) {
            GuestRam ram = new GuestRam(t);
            SplitQueue q = SplitQueue.allocateModern(ram, 0, 8);
            int head = q.addChain(List.of(Buf.readable(0x40001000L, 16), Buf.writable(0x40002000L, 1)));
            assertThat(q.freeDescriptors()).isEqualTo(6);
            assertThat(q.inFlight(head)).isTrue();
            // The descriptor says NEXT and points at the second one.
            long d = q.layout().desc() + 16L * head;
            assertThat(ram.le16(d + 12) & 1).isEqualTo(1);
            q.abandonInFlight();
            assertThat(q.freeDescriptors()).isEqualTo(8);
            assertThatThrownBy(() -> q.addChain(java.util.Collections.nCopies(9, Buf.readable(0x40001000L, 1))))
                    .isInstanceOf(HarnessError.class);
        }
    }

    @Test
    void theAllocatorStaysInsideTheWindowAndSaysWhenItIsFull() {
        try (Target t = Targets.open("reference:?ram=64k")) {
            GuestRam ram = new GuestRam(t);
            long a = ram.alloc(100, 16);
            assertThat(a % 16).isZero();
            assertThat(t.ram().contains(a, 100)).isTrue();
            assertThatThrownBy(() -> ram.alloc(1 << 20, 16)).isInstanceOf(HarnessError.class)
                    .hasMessageContaining("exhausted");
        }
    }
}
