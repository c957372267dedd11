package org.virtiotck.fuzz.exec;

import static org.virtiotck.fuzz.exec.TrackedQueue.CHAINS;
import static org.virtiotck.fuzz.exec.TrackedQueue.SEGS;

import java.util.Arrays;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

/**
 * Walks the chains a queue offers, in the shadow image (what the driver wrote), and marks what the device may
 * write: the used ring and every writable buffer, in the driver's layout and in each device view of it. For the
 * driver's layout it also records each offered chain (type, sector, writable segments, status byte) so a
 * completion can be described when it arrives.
 */
final class ChainWalker {
    private static final int MAX_CHAIN = 64;

    private final ShadowArena arena;
    private final LayoutTracker layout;
    private final long ramBase;
    private final long[] segAddr = new long[MAX_CHAIN * 2];
    private final long[] segLen = new long[MAX_CHAIN * 2];
    private final boolean[] segWrite = new boolean[MAX_CHAIN * 2];
    private int segN;
    /** Descriptor entries and indirect tables of the chain walked last ({@code [entA, entA+entL)}). */
    private final long[] entA = new long[MAX_CHAIN + 1];
    private final long[] entL = new long[MAX_CHAIN + 1];
    private int entN;
    /** The chain walked last had an indirect descriptor after its head. */
    private boolean nonHeadIndirect;
    /** The chain walked last was read to its end (no descriptor or indirect entry lay outside the arena). */
    private boolean complete;
    private final boolean[] walked = new boolean[1 << 16];
    /** A descriptor or indirect entry read from guest RAM outside the arena ({@link #entryAt}). */
    private final byte[] offArena = new byte[Descriptor.SIZE];
    /** Where {@link #entryAt} found the entry: the shadow, or {@link #offArena}. */
    private byte[] entryMem;
    /** An avail ring outside the arena, read from guest RAM ({@link #allowLayout}). */
    private byte[] availCopy = new byte[4 + 2 * 256];
    /** A header split across descriptors, gathered from its pieces. */
    private final byte[] header = new byte[Blk.HEADER_SIZE];
    /** Run generation: a chain record is valid in the run that made it. */
    private int gen = 1;

    ChainWalker(ShadowArena arena, LayoutTracker layout) {
        this.arena = arena;
        this.layout = layout;
        this.ramBase = arena.ramBase;
    }

    /** A new run or a device reset: chain records made before no longer count. */
    void newRun() {
        gen++;
    }

    /** Whether {@code q} holds a record of {@code head}'s chain made in this run. */
    boolean recorded(TrackedQueue q, int head) {
        return head >= 0 && head < CHAINS && q.cGen[head] == gen;
    }

    /**
     * Marks the used ring and every writable buffer of the chains in the avail ring as device-writable: of the
     * driver's layout (the entries not completed yet; every slot when the device's place in the ring is unknown,
     * {@link TrackedQueue#positionUnknown}), and of each device view of the layout that differs from it (every slot
     * of its avail ring: which ones the device still has to serve is unknown).
     */
    void allowQueue(TrackedQueue q, Observation obs, int opIndex) {
        int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
        if (size > 0) {
            int pending = (q.availIdx - q.collected) & 0xffff;
            allowLayout(q, size, q.desc, q.avail, q.used, q.collected, Math.min(Math.min(size, 256), pending), true,
                    obs, opIndex);
            if (q.positionUnknown) {
                allowLayout(q, size, q.desc, q.avail, q.used, 0, Math.min(size, 256), false, obs, opIndex);
            }
            allowEarlyUsed(size, q.avail, q.used, LayoutTracker.legacyAlign(q), q.alignWritten ? q.align : 0);
        }
        allowDeviceViews(q, obs, opIndex);
    }

    /**
     * Legacy: where a device that leaves used_event out of the available ring puts the used ring (the available
     * ring's end padded to QueueAlign without those 2 bytes, as QEMU 7.2 does: its legacy deviation 12). A write
     * there is reported under its own name, citing split-legacy.dev.1, not as corruption. A QueueAlign that is
     * not a power of two ({@code rawAlign}; mmio-legacy.drv.3 broken) may also be taken as it stands: the used ring
     * then starts at the next multiple of it in guest-physical addresses, with or without used_event (QEMU 7.2
     * rounds up to any alignment; {@code LiteralQueueAlignTest}).
     */
    private void allowEarlyUsed(int size, long avail, long used, long align, int rawAlign) {
        if (!layout.legacy) {
            return;
        }
        long early = earlyUsed(size, avail, align);
        if (early != used) {
            arena.allowEarlyUsed(early, SplitRing.usedRingBytes(size));
        }
        if (rawAlign != 0 && !LayoutTracker.powerOfTwo(rawAlign)) {
            long a = rawAlign & 0xffffffffL;
            for (long end = avail + 4 + 2L * size; end <= avail + 6 + 2L * size; end += 2) {
                arena.allow(Math.ceilDiv(ramBase + end, a) * a - ramBase, SplitRing.usedRingBytes(size));
            }
        }
    }

    /** The used ring's offset when the available ring is taken to end before used_event (legacy padding). */
    private static long earlyUsed(int size, long avail, long align) {
        long end = avail + 4 + 2L * size;
        return (end + align - 1) & -align;
    }

    /** Every slot of each device view of the layout that differs from the driver's (see {@link #allowQueue}). */
    private void allowDeviceViews(TrackedQueue q, Observation obs, int opIndex) {
        allowView(q, q.kept, obs, opIndex);
        if (!q.taken.sameLayout(q.kept)) {
            allowView(q, q.taken, obs, opIndex);
        }
        if (q.sizeKept) {
            allowView(q, q.maxSized, obs, opIndex);
            for (QueueRegisters o : q.ownSized) {
                if (!o.sameLayout(q.maxSized)) {
                    allowView(q, o, obs, opIndex);
                }
            }
            if (!q.maxSizedKept.sameLayout(q.maxSized)) {
                allowView(q, q.maxSizedKept, obs, opIndex);
            }
        }
        if (q.leftoverKept) {
            allowView(q, q.leftover, obs, opIndex);
        }
    }

    /**
     * At the end of a run against an asynchronous device: the chains as they stand now, in the driver's layout
     * and every device view, are the device's to write (it may read them after a rewrite, up to the next reset),
     * and with them the used ring, notified or not. A chain never notified counts too: a device may look at its
     * queues when it likes (poll them), and one that handles a notification some time after it was written (an
     * I/O thread woken by an event) sees the queue as it is then, so a notify written before the queue was live
     * may serve chains offered after it ({@code LateDeviceTest}).
     */
    void allowAsTheyStand(TrackedQueue q, Observation obs, int opIndex) {
        int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
        if (size > 0) {
            allowLayout(q, size, q.desc, q.avail, q.used, 0, Math.min(size, 256), false, obs, opIndex);
        }
        allowDeviceViews(q, obs, opIndex);
    }

    private void allowView(TrackedQueue q, QueueRegisters v, Observation obs, int opIndex) {
        long desc = v.descAddr - ramBase;
        long avail = v.driverAddr - ramBase;
        long used = v.deviceAddr - ramBase;
        int size = Math.min(v.size, SplitRing.MAX_QUEUE_SIZE);
        if (size <= 0 || size == q.size && desc == q.desc && avail == q.avail && used == q.used) {
            return;
        }
        allowLayout(q, size, desc, avail, used, 0, Math.min(size, 256), false, obs, opIndex);
        allowEarlyUsed(size, avail, used, v.legacyAlign(), v.alignWritten ? v.align : 0);
    }

    private void allowLayout(TrackedQueue q, int size, long desc, long avail, long used, int from, int slots,
                             boolean driverView, Observation obs, int opIndex) {
        arena.allow(used, SplitRing.usedRingBytes(size));
        // An avail ring outside the arena (the program may put it there; its writes went straight to the target) is
        // read from guest RAM, once.
        int ringBytes = 4 + 2 * size;
        boolean offAvail = !ShadowArena.inArena(avail, ringBytes) && arena.inRam(avail, ringBytes);
        if (offAvail) {
            if (availCopy.length < ringBytes) {
                availCopy = new byte[ringBytes];
            }
            arena.readOffArena(avail, availCopy, ringBytes);
        }
        int walkedCount = 0;
        int slot = Integer.remainderUnsigned(from, size) - 1;
        for (int k = 0; k < slots; k++) {
            if (++slot == size) { // (from + k) mod size, without a division per slot
                slot = 0;
            }
            int head = offAvail ? availCopy[4 + 2 * slot] & 0xff | (availCopy[5 + 2 * slot] & 0xff) << 8
                    : arena.readShadowLe16(avail + 4 + 2L * slot);
            if (head < 0 || head >= size || walked[head]) {
                continue;
            }
            walked[head] = true;
            if (walkedCount == q.walkedHeads.length) {
                q.walkedHeads = Arrays.copyOf(q.walkedHeads, walkedCount * 2);
            }
            q.walkedHeads[walkedCount++] = head;
            boolean read = walk(desc, size, head);
            if (driverView && head < CHAINS && !(read && complete)) {
                q.cGen[head] = 0; // not (wholly) readable: a record of an earlier offer of this head is stale
            }
            if (read && driverView && head < CHAINS && complete) {
                record(q, head); // before its own writable buffers are allowed: see record
            }
            if (read) {
                long descEnd = desc + SplitRing.descTableBytes(size);
                long availEnd = avail + SplitRing.availRingBytes(size);
                long usedEnd = used + SplitRing.usedRingBytes(size);
                for (int s = 0; s < segN; s++) {
                    // the same buffer again (a chain looping back to a descriptor) allows nothing more
                    if (segWrite[s] && !(s > 0 && segWrite[s - 1] && segAddr[s] == segAddr[s - 1]
                            && segLen[s] == segLen[s - 1])) {
                        arena.allow(segAddr[s], segLen[s]);
                        long a = segAddr[s];
                        long e = a + segLen[s];
                        if (!obs.ringsWritable && (a < descEnd && e > desc || a < availEnd && e > avail
                                || a < usedEnd && e > used)) {
                            obs.ringsWritable = true; // the device may rewrite what it reads chains from
                            if (driverView && obs.violationOp < 0) {
                                obs.violationOp = opIndex; // a device-writable buffer overlaps the rings
                            }
                        }
                    }
                }
            }
        }
        if (driverView && walkedCount > 1) {
            markSharedStatus(q, walkedCount);
        }
        for (int k = 0; k < walkedCount; k++) {
            walked[q.walkedHeads[k]] = false;
        }
    }

    /**
     * Chains offered together whose status byte lies in another one's writable buffer: which value stays there
     * depends on the order of completion, which is free without IN_ORDER (split-desc.dev.3), so their status is
     * not compared. The same holds for a chain whose input (any piece of its readable header, or of the segments
     * of a DISCARD, WRITE_ZEROES or SECURE_ERASE) lies in another one's writable buffer: the request the device
     * reads depends on whether it completed the other chain first.
     */
    private void markSharedStatus(TrackedQueue q, int walkedCount) {
        for (int k = 0; k < walkedCount; k++) {
            int a = q.walkedHeads[k];
            if (a >= CHAINS || q.cGen[a] != gen) {
                continue;
            }
            long at = q.cStatusAt[a];
            for (int j = 0; j < walkedCount; j++) {
                int b = q.walkedHeads[j];
                if (b == a || b >= CHAINS || q.cGen[b] != gen) {
                    continue;
                }
                if (at >= 0 && !q.cShared[a] && writes(q, b, at, 1)) {
                    q.cShared[a] = true;
                    q.cShared[b] = true;
                }
                if (!q.cHeaderOverlap[a] && writesInput(q, b, a)) {
                    q.cHeaderOverlap[a] = true;
                }
            }
        }
    }

    /** Whether a recorded writable segment of {@code b}'s chain overlaps a piece of {@code a}'s input. */
    private static boolean writesInput(TrackedQueue q, int b, int a) {
        int base = a * Blk.HEADER_SIZE;
        for (int k = 0; k < q.cInputPieces[a]; k++) {
            if (writes(q, b, q.cHeaderAt[base + k], q.cHeaderLen[base + k])) {
                return true;
            }
        }
        return false;
    }

    /** Whether a recorded writable segment of {@code b}'s chain overlaps {@code [at, at+len)}. */
    private static boolean writes(TrackedQueue q, int b, long at, long len) {
        for (int s = 0; s < q.cSegN[b]; s++) {
            long lo = q.cSegA[b * SEGS + s];
            if (at < lo + q.cSegL[b * SEGS + s] && at + len > lo) {
                return true;
            }
        }
        return false;
    }

    /**
     * Summarizes the chain just walked into the queue's record for {@code head}. The request is named from its
     * header: the first 16 bytes of the readable stream, taken in chain order from the readable buffers of non-zero
     * length, the way the reference device and QEMU read it (a driver may frame a request as it likes, split.dev.1),
     * so a header may lie in several pieces. When one of them lies outside the arena the request stays unnamed.
     */
    private void record(TrackedQueue q, int head) {
        long readable = 0;
        long writable = 0;
        int lastW = -1;
        int nseg = 0;
        boolean zeroLen = false;
        int base = head * Blk.HEADER_SIZE;
        int pieces = 0;
        int missing = Blk.HEADER_SIZE; // header bytes not found yet
        boolean known = true; // every piece found so far lies in the arena
        for (int s = 0; s < segN; s++) {
            long len = segLen[s];
            zeroLen |= len == 0;
            if (segWrite[s]) {
                writable += len;
                if (len > 0) {
                    lastW = s;
                }
                if (nseg < SEGS) {
                    q.cSegA[head * SEGS + nseg] = segAddr[s];
                    q.cSegL[head * SEGS + nseg] = len;
                    nseg++;
                }
            } else {
                if (missing > 0 && len > 0) {
                    int piece = (int) Math.min(len, missing);
                    known &= ShadowArena.inArena(segAddr[s], piece);
                    q.cHeaderAt[base + pieces] = segAddr[s];
                    q.cHeaderLen[base + pieces] = piece;
                    pieces++;
                    missing -= piece;
                }
                readable += len;
            }
        }
        q.cGen[head] = gen;
        q.cSegN[head] = nseg;
        q.cNonHeadIndirect[head] = nonHeadIndirect;
        q.cShared[head] = false;
        q.cWritable[head] = writable;
        q.cDataOut[head] = Math.max(0, readable - Blk.HEADER_SIZE);
        q.cStatusAt[head] = lastW < 0 ? -1 : segAddr[lastW] + segLen[lastW] - 1;
        q.cZeroLen[head] = zeroLen;
        q.cHeaderOverlap[head] = false;
        q.cHeaderWritten[head] = false;
        q.cHeaderPieces[head] = 0;
        q.cInputPieces[head] = 0;
        q.cType[head] = -1;
        q.cSector[head] = 0;
        if (!known) {
            // The device reads header bytes outside the arena, which the harness neither writes nor restores: on a
            // campaign's target they hold what earlier runs left there.
            q.cHeaderWritten[head] = true;
        }
        if (missing > 0 || !known) {
            return;
        }
        q.cHeaderPieces[head] = pieces;
        q.cInputPieces[head] = pieces;
        long at = q.cHeaderAt[base];
        if (pieces == 1) {
            q.cType[head] = (int) arena.shadowLe(at, 4);
            q.cSector[head] = arena.shadowLe(at + 8, 8);
            // A header in bytes the device may have written earlier in the run (another chain's IN data, a used
            // ring) holds what the device wrote there, which the shadow does not know (IN data comes from the
            // device's disk): the request is named by the type it holds when it completes.
            q.cHeaderWritten[head] = arena.deviceMayHaveWritten(at, Blk.HEADER_SIZE);
        } else {
            boolean written = false;
            int pos = 0;
            for (int k = 0; k < pieces; k++) {
                int len = q.cHeaderLen[base + k];
                System.arraycopy(arena.shadow, (int) q.cHeaderAt[base + k], header, pos, len);
                written |= arena.deviceMayHaveWritten(q.cHeaderAt[base + k], len);
                pos += len;
            }
            q.cType[head] = (int) LittleEndian.le(header, 0, 4);
            q.cSector[head] = LittleEndian.le(header, 8, 8);
            q.cHeaderWritten[head] = written;
        }
        int type = q.cType[head];
        if (type == Blk.T_DISCARD || type == Blk.T_WRITE_ZEROES || type == Blk.T_SECURE_ERASE) {
            recordSegments(q, head, base, pieces);
        }
    }

    /**
     * A request that carries segments the device parses (DISCARD, WRITE_ZEROES, SECURE_ERASE: sector, count and
     * flags, each of which can decide the status) reads its input beyond the header: the rest of the readable
     * stream is recorded as input pieces after the header's, so that bytes another chain or an earlier completion
     * may have written (IN data from a disk, on a target whose disk is not known to agree) are treated as they are
     * in a header. Bytes outside the arena count as written; more pieces than there is room for, as overlapping.
     */
    private void recordSegments(TrackedQueue q, int head, int base, int pieces) {
        int n = pieces;
        long skip = Blk.HEADER_SIZE;
        boolean written = q.cHeaderWritten[head];
        for (int s = 0; s < segN; s++) {
            long at = segAddr[s];
            long len = segLen[s];
            if (segWrite[s] || len == 0) {
                continue;
            }
            long k = Math.min(skip, len);
            skip -= k;
            at += k;
            len -= k;
            if (len == 0) {
                continue;
            }
            if (!ShadowArena.inArena(at, len)) {
                written = true;
            } else if (n == Blk.HEADER_SIZE) {
                q.cHeaderOverlap[head] = true;
                break;
            } else {
                q.cHeaderAt[base + n] = at;
                q.cHeaderLen[base + n] = (int) len;
                n++;
                written |= arena.deviceMayHaveWritten(at, (int) len);
            }
        }
        q.cInputPieces[head] = n;
        q.cHeaderWritten[head] = written;
    }

    /**
     * Walks a chain in the shadow image, permissively (any flags, one level of indirection, bounded), and leaves
     * its buffers in {@code seg*}. Returns false if the chain could not be read at all; {@link #complete} says
     * whether it was read to its end (the shadow holds only the arena: a descriptor or indirect entry outside it
     * cuts the walk short, and a chain known only in part is not recorded).
     */
    private boolean walk(long desc, int size, int head) {
        segN = 0;
        entN = 0;
        nonHeadIndirect = false;
        complete = true;
        int idx = head;
        for (int steps = 0; steps < MAX_CHAIN && idx < size; steps++) {
            long d = desc + 16L * idx;
            int at = entryAt(d);
            if (at < 0) {
                complete = false;
                return segN > 0;
            }
            byte[] mem = entryMem;
            addEntry(d, Descriptor.SIZE);
            long addr = Descriptor.addrAt(mem, at);
            long len = Descriptor.lenAt(mem, at);
            int flags = Descriptor.flagsAt(mem, at);
            int next = Descriptor.nextAt(mem, at);
            long off = addr - ramBase;
            if ((flags & SplitRing.DESC_F_INDIRECT) != 0) {
                if (steps > 0) {
                    nonHeadIndirect = true;
                    if ((flags & SplitRing.DESC_F_WRITE) != 0) {
                        arena.allowAsData(off, len);
                    }
                }
                if (!layout.indirectAccepted() && (flags & SplitRing.DESC_F_WRITE) != 0) {
                    // Without INDIRECT_DESC a device may take the descriptor for a plain buffer: its to write too.
                    addSeg(off, len, true);
                }
                addEntry(off, Math.min(len, 16L * MAX_CHAIN));
                walkIndirect(off, len);
            } else {
                addSeg(off, len, (flags & SplitRing.DESC_F_WRITE) != 0);
            }
            if ((flags & SplitRing.DESC_F_NEXT) == 0) {
                break;
            }
            idx = next;
        }
        return true;
    }

    private void walkIndirect(long off, long len) {
        int entries = (int) Math.min(len / 16, MAX_CHAIN);
        int j = 0;
        for (int s = 0; s < MAX_CHAIN && j < entries; s++) {
            long e = off + 16L * j;
            int at = entryAt(e);
            if (at < 0) {
                complete = false;
                break;
            }
            byte[] mem = entryMem;
            int flags = Descriptor.flagsAt(mem, at);
            addSeg(Descriptor.addrAt(mem, at) - ramBase, Descriptor.lenAt(mem, at),
                    (flags & SplitRing.DESC_F_WRITE) != 0);
            if ((flags & SplitRing.DESC_F_NEXT) == 0) {
                break;
            }
            j = Descriptor.nextAt(mem, at);
        }
    }

    /**
     * Where to decode the descriptor at RAM offset {@code at}, in {@link #entryMem}: its offset in the shadow when
     * it lies in the arena; 0 in {@link #offArena}, read from the target, when it lies elsewhere in guest RAM (the
     * program may put a table there, and its own writes went straight to the target); -1 when it is not in guest RAM.
     */
    private int entryAt(long at) {
        if (ShadowArena.inArena(at, Descriptor.SIZE)) {
            entryMem = arena.shadow;
            return (int) at;
        }
        if (!arena.inRam(at, Descriptor.SIZE)) {
            return -1;
        }
        arena.readOffArena(at, offArena, Descriptor.SIZE);
        entryMem = offArena;
        return 0;
    }

    private void addEntry(long at, long len) {
        if (entN < entA.length) {
            entA[entN] = at;
            entL[entN] = len;
            entN++;
        }
    }

    /**
     * Adds to {@code e} the memory of the chains exposed on {@code q} in the driver's layout that the device has
     * not used yet (as far as the reference saw): their avail ring slots, descriptor entries and indirect tables
     * (entries), and their buffers.
     */
    void expose(TrackedQueue q, Exposure e) {
        int size = Exposure.slots(q);
        int pending = (q.availIdx - q.collected) & 0xffff;
        if (size <= 0 || pending == 0) {
            return;
        }
        for (int k = 0; k < Math.min(pending, size); k++) {
            int slot = q.collected + k;
            e.addSlot(q.avail, q.size, slot);
            int head = arena.readShadowLe16(q.avail + 4 + 2L * Integer.remainderUnsigned(slot, q.size));
            if (head < 0 || head >= q.size || !walk(q.desc, Math.min(q.size, SplitRing.MAX_QUEUE_SIZE), head)) {
                continue;
            }
            for (int i = 0; i < entN; i++) {
                e.add(entA[i], entL[i], true);
            }
            for (int i = 0; i < segN; i++) {
                e.add(segAddr[i], segLen[i], false);
            }
        }
    }

    private void addSeg(long addr, long len, boolean write) {
        if (segN < segAddr.length) {
            segAddr[segN] = addr;
            segLen[segN] = len;
            segWrite[segN] = write;
            segN++;
        }
    }
}
