package org.virtiotck.tck.driver;

import static org.virtiotck.spec.SplitRing.DESC_F_INDIRECT;
import static org.virtiotck.spec.SplitRing.DESC_F_NEXT;
import static org.virtiotck.spec.SplitRing.DESC_F_WRITE;
import static org.virtiotck.spec.SplitRing.DESC_SIZE;
import static org.virtiotck.spec.SplitRing.USED_ELEM_SIZE;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.SplitRing;

/**
 * The driver side of one split virtqueue (§2.7) living in guest RAM: a free list of descriptors, the available
 * ring the driver writes, and the used ring it reads. The driver never reads descriptors back; it remembers
 * which descriptors each chain took so that a device rewriting descriptors cannot confuse it.
 */
public final class SplitQueue {

    /** One guest buffer: where it is, how long, and whether the device may write it. */
    public record Buf(long gpa, int len, boolean writable) {
        public static Buf readable(long gpa, int len) {
            return new Buf(gpa, len, false);
        }

        public static Buf writable(long gpa, int len) {
            return new Buf(gpa, len, true);
        }
    }

    private final GuestRam ram;
    private final int index;
    private final int size;
    private final RingLayout rings;
    private final int[] nextFree;
    private final int[][] chainOf;
    private int freeHead;
    private int freeCount;
    private int availIdx;
    private int lastUsedIdx;
    private int kickedIdx;

    private SplitQueue(GuestRam ram, int index, RingLayout rings) {
        int size = rings.size();
        if (size <= 0 || size > SplitRing.MAX_QUEUE_SIZE) {
            throw new HarnessError("queue size out of range: " + size);
        }
        this.ram = ram;
        this.index = index;
        this.size = size;
        this.rings = rings;
        this.nextFree = new int[size];
        this.chainOf = new int[size][];
        for (int i = 0; i < size; i++) {
            nextFree[i] = i + 1;
        }
        this.freeHead = 0;
        this.freeCount = size;
    }

    /** Modern layout: three separately placed areas with the §2.7 alignments (16, 2, 4). */
    public static SplitQueue allocateModern(GuestRam ram, int index, int size) {
        long d = ram.alloc(SplitRing.descTableBytes(size), SplitRing.DESC_ALIGN);
        long a = ram.alloc(SplitRing.availRingBytes(size), SplitRing.AVAIL_ALIGN);
        long u = ram.alloc(SplitRing.usedRingBytes(size), SplitRing.USED_ALIGN);
        return new SplitQueue(ram, index, RingLayout.modern(size, d, a, u));
    }

    /** Legacy layout (§2.7.2): one page-aligned area, used ring at the next {@code align} boundary. */
    public static SplitQueue allocateLegacy(GuestRam ram, int index, int size, int pageSize, int align) {
        long base = ram.alloc(RingLayout.legacyBytes(size, align), Math.max(pageSize, align));
        return new SplitQueue(ram, index, RingLayout.legacy(size, base, align));
    }

    public int index() {
        return index;
    }

    public int size() {
        return size;
    }

    /** Where the rings are and the address of every field in them. */
    public RingLayout layout() {
        return rings;
    }

    public int freeDescriptors() {
        return freeCount;
    }

    /** The driver's next avail idx (free-running u16). */
    public int availIdx() {
        return availIdx;
    }

    /** The next used idx the driver expects to read (free-running u16). */
    public int lastUsedIdx() {
        return lastUsedIdx;
    }

    /** Puts the chain into free descriptors; returns the head id. Does not make it available yet. */
    public int addChain(List<Buf> bufs) {
        if (bufs.isEmpty() || bufs.size() > freeCount) {
            throw new HarnessError("queue " + index + ": chain of " + bufs.size() + " needs more than "
                    + freeCount + " free descriptors");
        }
        int[] ids = new int[bufs.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = takeFree();
        }
        byte[] entry = new byte[DESC_SIZE];
        for (int i = 0; i < ids.length; i++) {
            Buf b = bufs.get(i);
            boolean last = i == ids.length - 1;
            int flags = (b.writable() ? DESC_F_WRITE : 0) | (last ? 0 : DESC_F_NEXT);
            Descriptor.encode(entry, 0, b.gpa(), b.len(), flags, last ? 0 : ids[i + 1]);
            ram.write(rings.descEntry(ids[i]), entry);
        }
        chainOf[ids[0]] = ids;
        return ids[0];
    }

    /**
     * Puts {@code direct} into descriptors chained to one final descriptor that points to an indirect table
     * holding {@code indirect} (§2.7.5.3). With {@code direct} empty the whole chain is indirect.
     */
    public int addIndirectChain(List<Buf> direct, List<Buf> indirect) {
        byte[] entries = new byte[indirect.size() * DESC_SIZE];
        for (int i = 0; i < indirect.size(); i++) {
            Buf b = indirect.get(i);
            boolean last = i == indirect.size() - 1;
            int flags = (b.writable() ? DESC_F_WRITE : 0) | (last ? 0 : DESC_F_NEXT);
            Descriptor.encode(entries, i * DESC_SIZE, b.gpa(), b.len(), flags, last ? 0 : i + 1);
        }
        long table = ram.alloc(entries.length, SplitRing.DESC_ALIGN);
        ram.write(table, entries);
        List<Buf> all = new ArrayList<>(direct);
        all.add(Buf.readable(table, indirect.size() * DESC_SIZE));
        int head = addChain(all);
        int[] ids = chainOf[head];
        int tail = ids[ids.length - 1];
        writeDescriptor(tail, table, indirect.size() * DESC_SIZE, DESC_F_INDIRECT, 0);
        return head;
    }

    /** Writes one raw descriptor entry: the low-level path for tests that build malformed chains. */
    public void writeDescriptor(int id, long addr, int len, int flags, int next) {
        ram.write(rings.descEntry(id), new Descriptor(addr, len, flags, next).bytes());
    }

    /**
     * Makes {@code heads} available in one go: ring entries first (one memory write per contiguous run of
     * slots), then a single avail idx update.
     */
    public void publish(int... heads) {
        int done = 0;
        while (done < heads.length) {
            int slot = availIdx % size;
            int run = Math.min(heads.length - done, size - slot);
            byte[] entries = new byte[run * 2];
            for (int i = 0; i < run; i++) {
                Le.put(entries, 2 * i, 2, heads[done + i]);
            }
            ram.write(rings.availEntry(availIdx), entries);
            availIdx = (availIdx + run) & 0xffff;
            done += run;
        }
        ram.putLe16(rings.availIdx(), availIdx);
    }

    /** Adds a ring entry without touching avail idx (for tests that move the index themselves). */
    public void putRingEntry(int slot, int head) {
        ram.putLe16(rings.availEntry(slot), head);
    }

    /** Writes the avail idx directly (low-level path). */
    public void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        ram.putLe16(rings.availIdx(), availIdx);
    }

    /** Makes the driver's and the device's expected start index agree after both were set elsewhere. */
    public void assumeIndices(int avail, int used) {
        this.availIdx = avail & 0xffff;
        this.lastUsedIdx = used & 0xffff;
        this.kickedIdx = this.availIdx;
    }

    /** The avail idx at the last notification decision; returns it and records the current one. */
    int takeKickedIdx() {
        int old = kickedIdx;
        kickedIdx = availIdx;
        return old;
    }

    public void setAvailFlags(int flags) {
        ram.putLe16(rings.avail(), flags);
    }

    public int usedFlags() {
        return ram.le16(rings.used());
    }

    /** used_event, read by the device with EVENT_IDX: "interrupt me when used idx passes this". */
    public void setUsedEvent(int value) {
        ram.putLe16(rings.usedEvent(), value);
    }

    /** avail_event, written by the device with EVENT_IDX. */
    public int availEvent() {
        return ram.le16(rings.availEvent());
    }

    public int deviceUsedIdx() {
        return ram.le16(rings.usedIdx());
    }

    /** Whether the device has used entries the driver has not taken yet. */
    public boolean hasUsed() {
        return deviceUsedIdx() != lastUsedIdx;
    }

    /** Entries between the driver's last seen and the device's used idx, as the device reports them. */
    public int pendingUsed() {
        return (deviceUsedIdx() - lastUsedIdx) & 0xffff;
    }

    /**
     * Takes the next used element and frees its chain. Returns null when there is none. An id the driver
     * never made available is returned as is (the caller judges it) and frees nothing.
     */
    public UsedElem takeUsed() {
        if (!hasUsed()) {
            return null;
        }
        UsedElem e = UsedElem.decode(ram.read(rings.usedEntry(lastUsedIdx), USED_ELEM_SIZE), 0);
        lastUsedIdx = (lastUsedIdx + 1) & 0xffff;
        release(e.id());
        return e;
    }

    /** Takes every used element the device has published, reading the used ring in as few calls as possible. */
    public List<UsedElem> takeAllUsed() {
        int pending = pendingUsed();
        List<UsedElem> out = new ArrayList<>(pending);
        while (pending > 0) {
            int slot = lastUsedIdx % size;
            int run = Math.min(pending, size - slot);
            byte[] e = ram.read(rings.usedEntry(lastUsedIdx), run * USED_ELEM_SIZE);
            for (int i = 0; i < run; i++) {
                UsedElem u = UsedElem.decode(e, i * USED_ELEM_SIZE);
                release(u.id());
                out.add(u);
            }
            lastUsedIdx = (lastUsedIdx + run) & 0xffff;
            pending -= run;
        }
        return out;
    }

    /**
     * Makes a chain that the device already used available again without rewriting its descriptors (the
     * driver owns them again and they are unchanged). Used for long runs such as index wraparound.
     */
    public void retain(int head, int[] descriptorIds) {
        for (int id : descriptorIds) {
            removeFromFreeList(id);
        }
        chainOf[head] = descriptorIds.clone();
    }

    /** The descriptor ids of an in-flight chain, head first. */
    public int[] chain(int head) {
        return chainOf[head].clone();
    }

    private void removeFromFreeList(int id) {
        int prev = -1;
        for (int cur = freeHead, n = 0; n < freeCount; prev = cur, cur = nextFree[cur], n++) {
            if (cur == id) {
                if (prev < 0) {
                    freeHead = nextFree[cur];
                } else {
                    nextFree[prev] = nextFree[cur];
                }
                freeCount--;
                return;
            }
        }
        throw new HarnessError("descriptor " + id + " is not free");
    }

    /** Whether {@code id} heads a chain the driver made available and has not seen used yet. */
    public boolean inFlight(int id) {
        return id >= 0 && id < size && chainOf[id] != null;
    }

    /** Forgets every chain in flight, as after a device or queue reset. */
    public void abandonInFlight() {
        for (int i = 0; i < size; i++) {
            if (chainOf[i] != null) {
                release(i);
            }
        }
    }

    private void release(int head) {
        if (head < 0 || head >= size || chainOf[head] == null) {
            return;
        }
        for (int id : chainOf[head]) {
            nextFree[id] = freeHead;
            freeHead = id;
            freeCount++;
        }
        chainOf[head] = null;
    }

    private int takeFree() {
        int id = freeHead;
        freeHead = nextFree[id];
        freeCount--;
        return id;
    }
}
