package org.virtiotck.tck.adapter.qtest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;

/**
 * Just enough of a modern virtio-mmio block driver to push one request through queue 0 by hand, for the
 * adapter's own tests (the real harness lives elsewhere).
 */
final class MiniDriver {
    static final int QSIZE = 8;

    private final Target t;
    private final long desc;
    private final long avail;
    private final long used;
    private final long header;
    private final long data;
    private final long status;
    private int availIdx;

    MiniDriver(Target t) {
        this.t = t;
        long b = (t.ram().base() + 0x10_0000L + 0xfff) & ~0xfffL; // skip the first MiB of the window
        desc = b;
        avail = b + 0x1000;
        used = b + 0x2000;
        header = b + 0x3000;
        status = b + 0x3100;
        data = b + 0x4000;
    }

    /** Reset, negotiate VERSION_1 only, set up queue 0, DRIVER_OK. */
    void initModern() {
        t.write(MmioRegister.STATUS, 4, 0);
        t.write(MmioRegister.STATUS, 4, DeviceStatus.ACKNOWLEDGE);
        t.write(MmioRegister.STATUS, 4, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        t.write(MmioRegister.DRIVER_FEATURES_SEL, 4, 1);
        t.write(MmioRegister.DRIVER_FEATURES, 4, 1); // VERSION_1
        t.write(MmioRegister.DRIVER_FEATURES_SEL, 4, 0);
        t.write(MmioRegister.DRIVER_FEATURES, 4, 0);
        int s = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK;
        t.write(MmioRegister.STATUS, 4, s);
        if ((t.read(MmioRegister.STATUS, 4) & DeviceStatus.FEATURES_OK) == 0) {
            throw new IllegalStateException("device refused FEATURES_OK");
        }
        t.writeMemory(desc, new byte[0x3000], 0, 0x3000);
        t.write(MmioRegister.QUEUE_SEL, 4, 0);
        if (t.read(MmioRegister.QUEUE_NUM_MAX, 4) < QSIZE) {
            throw new IllegalStateException("queue too small");
        }
        t.write(MmioRegister.QUEUE_NUM, 4, QSIZE);
        t.write(MmioRegister.QUEUE_DESC_LOW, 4, desc & 0xffffffffL);
        t.write(MmioRegister.QUEUE_DESC_HIGH, 4, desc >>> 32);
        t.write(MmioRegister.QUEUE_DRIVER_LOW, 4, avail & 0xffffffffL);
        t.write(MmioRegister.QUEUE_DRIVER_HIGH, 4, avail >>> 32);
        t.write(MmioRegister.QUEUE_DEVICE_LOW, 4, used & 0xffffffffL);
        t.write(MmioRegister.QUEUE_DEVICE_HIGH, 4, used >>> 32);
        t.write(MmioRegister.QUEUE_READY, 4, 1);
        t.write(MmioRegister.STATUS, 4, s | DeviceStatus.DRIVER_OK);
    }

    /** Queues one IN or OUT request of one sector and notifies; returns the data buffer address. */
    long submit(int type, long sector, byte[] outData) {
        ByteBuffer h = ByteBuffer.allocate(Blk.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(type).putInt(0).putLong(sector);
        t.writeMemory(header, h.array(), 0, Blk.HEADER_SIZE);
        t.writeMemory(status, new byte[] {(byte) 0xff}, 0, 1);
        if (outData != null) {
            t.writeMemory(data, outData, 0, outData.length);
        }
        boolean in = type == Blk.T_IN;
        ByteBuffer d = ByteBuffer.allocate(3 * SplitRing.DESC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(header).putInt(Blk.HEADER_SIZE).putShort((short) SplitRing.DESC_F_NEXT).putShort((short) 1);
        d.putLong(data).putInt(Blk.SECTOR_SIZE)
                .putShort((short) (SplitRing.DESC_F_NEXT | (in ? SplitRing.DESC_F_WRITE : 0))).putShort((short) 2);
        d.putLong(status).putInt(1).putShort((short) SplitRing.DESC_F_WRITE).putShort((short) 0);
        t.writeMemory(desc, d.array(), 0, d.capacity());
        ByteBuffer a = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        a.putShort((short) 0);
        t.writeMemory(avail + 4 + 2L * (availIdx % QSIZE), a.array(), 0, 2);
        availIdx++;
        ByteBuffer idx = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) availIdx);
        t.writeMemory(avail + 2, idx.array(), 0, 2);
        t.write(MmioRegister.QUEUE_NOTIFY, 4, 0);
        return data;
    }

    int usedIdx() {
        byte[] b = new byte[2];
        t.readMemory(used + 2, b, 0, 2);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    int statusByte() {
        byte[] b = new byte[1];
        t.readMemory(status, b, 0, 1);
        return b[0] & 0xff;
    }

    byte[] dataBytes(int n) {
        byte[] b = new byte[n];
        t.readMemory(data, b, 0, n);
        return b;
    }
}
