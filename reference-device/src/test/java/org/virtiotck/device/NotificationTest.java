package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

class NotificationTest {

    @Test
    void noInterruptFlagSuppressesWithoutEventIdx() {
        TestDriver d = new TestDriver().init(bit(EVENT_IDX));
        d.mem.writeLe16(TestDriver.AVAIL, SplitRing.AVAIL_F_NO_INTERRUPT);
        d.write(0, new byte[512]);
        assertThat(d.usedIdx()).isEqualTo(1);
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        d.mem.writeLe16(TestDriver.AVAIL, 0);
        d.write(0, new byte[512]);
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_USED_BUFFER);
        // used_event is ignored without EVENT_IDX (split.dev.9)
        assertThat(d.mem.readLe16(TestDriver.USED + SplitRing.availEventOffset(16))).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void eventIdxNotifiesOnlyWhenUsedEventIsCrossed() {
        TestDriver d = new TestDriver().init();
        long usedEvent = TestDriver.AVAIL + SplitRing.usedEventOffset(16);
        d.mem.writeLe16(usedEvent, 2); // interrupt me when the entry at used index 2 is filled
        d.write(0, new byte[512]); // used idx 0 -> 1
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        d.write(0, new byte[512]); // 1 -> 2
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        d.write(0, new byte[512]); // 2 -> 3: slot 2 filled
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_USED_BUFFER);
        // the device publishes avail_event = next avail index it expects
        assertThat(d.mem.readLe16(TestDriver.USED + SplitRing.availEventOffset(16))).isEqualTo(3);
        // with EVENT_IDX the device ignores the NO_INTERRUPT flag... the driver must keep flags 0 though
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void indicesWrapAroundAtSixteenBits() {
        TestDriver d = new TestDriver();
        d.queueSize = 4;
        d.init(bit(EVENT_IDX));
        for (int i = 0; i < 70000; i++) {
            TestDriver.Result r = d.simple(Blk.T_FLUSH, 0);
            if (r == null || r.status() != Blk.S_OK) {
                throw new AssertionError("request " + i + " failed: " + r);
            }
            d.nextDesc = 0;
        }
        assertThat(d.usedIdx()).isEqualTo(70000 & 0xffff);
        assertThat(d.dev.needsReset()).isFalse();
    }

    @Test
    void batchOfRequestsIsProcessedOnOneNotify() {
        TestDriver d = new TestDriver().init();
        long st1 = d.alloc(1);
        long st2 = d.alloc(1);
        int h1 = d.chain(TestDriver.ro(d.header(Blk.T_FLUSH, 0), 16), TestDriver.wr(st1, 1));
        int h2 = d.chain(TestDriver.ro(d.header(Blk.T_FLUSH, 0), 16), TestDriver.wr(st2, 1));
        d.publish(h1);
        d.publish(h2);
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isEqualTo(2);
        assertThat(d.usedElem(0)[0]).isEqualTo(h1);
        assertThat(d.usedElem(1)[0]).isEqualTo(h2);
        // a spurious notification changes nothing (split.dev.22)
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isEqualTo(2);
    }
}
