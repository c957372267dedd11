package org.virtiotck.queue;

import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.spec.SplitRing;

/**
 * One queue's layout registers and the ring addresses they give (§4.2.2 modern, §4.2.4 legacy), following the
 * rules of this package under one {@link LivePolicy}. Addresses are guest physical. The reference device's
 * queues extend this class; the fuzzer's executor keeps one per policy and queue.
 */
public class QueueRegisters {
    /** Page size and used-ring alignment a legacy device uses when the driver never set a valid one. */
    public static final int DEFAULT_LEGACY_PAGE = 4096;

    /** QueueNum as in force. */
    public int size;
    /** QueueReady as last written (modern; read back verbatim, mmio-desc.dev.5). */
    public int readyValue;
    public long descAddr;
    public long driverAddr;
    public long deviceAddr;
    /** Legacy: QueuePFN, and QueueAlign as written (QueueAlign is ignored while the PFN is non-zero). */
    public int pfn;
    public int align;
    public boolean alignWritten;

    /** Device reset or queue reset: every register back to 0, as in a new register set. */
    public void resetRegisters() {
        copyRegisters(new QueueRegisters());
    }

    /** Copies every register of {@code o}. */
    public void copyRegisters(QueueRegisters o) {
        size = o.size;
        readyValue = o.readyValue;
        descAddr = o.descAddr;
        driverAddr = o.driverAddr;
        deviceAddr = o.deviceAddr;
        pfn = o.pfn;
        align = o.align;
        alignWritten = o.alignWritten;
    }

    /** Whether two register sets place the rings at the same addresses with the same size. */
    public boolean sameLayout(QueueRegisters o) {
        return size == o.size && descAddr == o.descAddr && driverAddr == o.driverAddr && deviceAddr == o.deviceAddr;
    }

    /** Whether the queue is live: QueueReady non-zero (modern), QueuePFN non-zero (legacy). */
    public boolean enabled(boolean legacy) {
        return legacy ? pfn != 0 : readyValue != 0;
    }

    public static boolean powerOfTwo(int v) {
        return v != 0 && Integer.bitCount(v) == 1;
    }

    /** The page size QueuePFN counts in: GuestPageSize, or 4096 when never set or not a power of two. */
    public static long legacyPageSize(int guestPageSize) {
        return powerOfTwo(guestPageSize) ? guestPageSize & 0xffffffffL : DEFAULT_LEGACY_PAGE;
    }

    /** The used-ring alignment in force: QueueAlign as written, or 4096. */
    public long legacyAlign() {
        return alignWritten && powerOfTwo(align) ? align & 0xffffffffL : DEFAULT_LEGACY_PAGE;
    }

    /** Whether a write to {@code offset} is a layout write that a live queue may ignore (mmio.drv.15). */
    public static boolean layoutRegister(int offset, boolean legacy) {
        return switch (offset) {
            case QUEUE_NUM -> true;
            case QUEUE_ALIGN -> legacy;
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                 QUEUE_DEVICE_HIGH -> !legacy;
            default -> false;
        };
    }

    /**
     * Applies a 32-bit aligned write of a layout register (QueueNum, QueueAlign, QueuePFN, the ring addresses) as a
     * device following {@code policy} does. Other offsets (and registers of the other interface version) are
     * ignored. Returns whether the registers changed because of a write to a live queue (under {@code APPLY}).
     *
     * @param guestPageSize the device's GuestPageSize (legacy), used by a QueuePFN write and a live re-layout
     */
    public boolean writeLayout(int offset, int v, boolean legacy, int guestPageSize, LivePolicy policy) {
        boolean live = enabled(legacy);
        boolean apply = !live || policy == LivePolicy.APPLY;
        switch (offset) {
            case QUEUE_NUM -> {
                if (apply) {
                    size = v;
                    relayoutIfLive(legacy, live, guestPageSize);
                }
            }
            case QUEUE_ALIGN -> {
                if (legacy && apply) {
                    align = v;
                    alignWritten = true;
                    relayoutIfLive(true, live, guestPageSize);
                }
            }
            case QUEUE_PFN -> {
                if (legacy) {
                    writePfn(v, guestPageSize);
                }
                return false;
            }
            case QUEUE_DESC_LOW -> setAddress(0, v, false, legacy, apply);
            case QUEUE_DESC_HIGH -> setAddress(0, v, true, legacy, apply);
            case QUEUE_DRIVER_LOW -> setAddress(1, v, false, legacy, apply);
            case QUEUE_DRIVER_HIGH -> setAddress(1, v, true, legacy, apply);
            case QUEUE_DEVICE_LOW -> setAddress(2, v, false, legacy, apply);
            case QUEUE_DEVICE_HIGH -> setAddress(2, v, true, legacy, apply);
            default -> {
                return false;
            }
        }
        return live && apply && layoutRegister(offset, legacy);
    }

    /**
     * Legacy: GuestPageSize written while this queue is live (QueuePFN non-zero). The page size places the rings
     * only when QueuePFN is written (§4.2.4), and the spec does not say what a device does with a new page size
     * for a queue already placed: it may keep the rings where they are ({@code IGNORE}: the reference device, and
     * QEMU, which applies the page size at the next QueuePFN write) or place them again at QueuePFN &times; the new
     * page size ({@code APPLY}). Returns whether the rings moved.
     */
    public boolean writeGuestPageSize(int guestPageSize, LivePolicy policy) {
        if (pfn == 0 || policy != LivePolicy.APPLY) {
            return false;
        }
        long d = descAddr;
        long a = driverAddr;
        long u = deviceAddr;
        writePfn(pfn, guestPageSize);
        return d != descAddr || a != driverAddr || u != deviceAddr;
    }

    /** QueuePFN: 0 disables the queue; otherwise the rings are placed from QueueNum and QueueAlign in force. */
    private void writePfn(int v, int guestPageSize) {
        pfn = v;
        if (v == 0) {
            return;
        }
        if (size > 0 && size <= SplitRing.MAX_QUEUE_SIZE) {
            applyLegacyLayout(legacyPageSize(guestPageSize), legacyAlign());
        } else {
            descAddr = driverAddr = deviceAddr = 0;
        }
    }

    private void relayoutIfLive(boolean legacy, boolean live, int guestPageSize) {
        if (legacy && live) {
            writePfn(pfn, guestPageSize);
        }
    }

    private void setAddress(int which, int v, boolean high, boolean legacy, boolean apply) {
        if (legacy || !apply) {
            return;
        }
        long cur = which == 0 ? descAddr : which == 1 ? driverAddr : deviceAddr;
        long word = v & 0xffffffffL;
        long next = high ? (cur & 0xffffffffL) | (word << 32) : (cur & 0xffffffff00000000L) | word;
        switch (which) {
            case 0 -> descAddr = next;
            case 1 -> driverAddr = next;
            default -> deviceAddr = next;
        }
    }

    /** Legacy: derive the three ring addresses from PFN, page size and alignment (§2.7.2 padding formula). */
    public void applyLegacyLayout(long pageSize, long usedAlign) {
        RingLayout l = RingLayout.legacyFromPfn(size, pfn, pageSize, usedAlign);
        descAddr = l.desc();
        driverAddr = l.avail();
        deviceAddr = l.used();
    }

    /** The ring addresses and size in force, as a layout. */
    public RingLayout layout() {
        return new RingLayout(size, descAddr, driverAddr, deviceAddr);
    }
}
