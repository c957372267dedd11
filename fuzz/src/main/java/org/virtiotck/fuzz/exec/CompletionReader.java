package org.virtiotck.fuzz.exec;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

/**
 * Reads what a device published in a used ring since the harness last looked, and describes each completion into
 * the {@link Observation} from what the {@link ChainWalker} recorded of its chain when it was offered: the request
 * type, the status byte, how far the device wrote into the writable stream and a digest of the data it wrote.
 * Whether the two sides of a run agree on these is the {@link Differential}'s question, not this class's.
 */
final class CompletionReader {
    private final ShadowArena arena;
    private final ChainWalker walker;
    private final Observation obs;
    private final DataDigest digest = new DataDigest();
    /** Digest the data a completion wrote: only a differential run with a second device compares digests. */
    boolean digesting = true;

    CompletionReader(ShadowArena arena, ChainWalker walker, Observation obs) {
        this.arena = arena;
        this.walker = walker;
        this.obs = obs;
    }

    /** Reads the used elements the device published since the last notify and describes each at once. */
    void collect(int qi, TrackedQueue q, int usedIdx, int opIndex) {
        int size = Math.min(q.size, SplitRing.MAX_QUEUE_SIZE);
        int from = q.collected;
        int n = (usedIdx - from) & 0xffff;
        if (n > size || n > 64) {
            q.collected = usedIdx; // a bogus jump (or the ring was overwritten): nothing trustworthy to read
            return;
        }
        for (int k = 0; k < n; k++) {
            int slot = Integer.remainderUnsigned(from + k, size);
            long elem = q.used + 4 + 8L * slot;
            long id = arena.readDevice(elem, 4);
            long len = arena.readDevice(elem + 4, 4);
            if (id < 0 || len < 0) {
                break;
            }
            int u = obs.addUsed();
            obs.uQueue[u] = qi;
            obs.uHead[u] = (int) id;
            obs.uOp[u] = opIndex;
            obs.uLen[u] = len;
            describe(u, q, (int) id);
        }
        q.collected = usedIdx;
    }

    /** The type field (the first 4 bytes of the recorded header, across its pieces) as the device side holds it. */
    private int typeNow(TrackedQueue q, int head) {
        int base = head * Blk.HEADER_SIZE;
        if (q.cHeaderLen[base] >= 4) {
            return (int) arena.readDevice(q.cHeaderAt[base], 4);
        }
        long type = 0;
        int pos = 0;
        for (int k = 0; pos < 4; k++) {
            int n = Math.min(q.cHeaderLen[base + k], 4 - pos);
            long part = arena.readDevice(q.cHeaderAt[base + k], n);
            if (part < 0) {
                return -1;
            }
            type |= part << (8 * pos);
            pos += n;
        }
        return (int) type;
    }

    /** Describes a completion from what the harness recorded of the chain when it was offered. */
    private void describe(int u, TrackedQueue q, int head) {
        obs.uStatus[u] = -1;
        obs.uType[u] = -1;
        obs.uWritable[u] = 0;
        obs.uNonHeadIndirect[u] = false;
        obs.uShared[u] = false;
        obs.uZeroLen[u] = false;
        obs.uHeaderOverlap[u] = false;
        obs.uHeaderWritten[u] = false;
        obs.uExtent[u] = 0;
        obs.uDataHash[u] = 0;
        obs.uSector[u] = 0;
        obs.uDataOut[u] = 0;
        if (!walker.recorded(q, head)) {
            return;
        }
        long writable = q.cWritable[head];
        obs.uWritable[u] = writable;
        obs.uNonHeadIndirect[u] = q.cNonHeadIndirect[head];
        obs.uShared[u] = q.cShared[head];
        obs.uDataOut[u] = q.cDataOut[head];
        obs.uType[u] = q.cType[head];
        obs.uSector[u] = q.cSector[head];
        obs.uZeroLen[u] = q.cZeroLen[head];
        obs.uHeaderOverlap[u] = q.cHeaderOverlap[head];
        obs.uHeaderWritten[u] = q.cHeaderWritten[head];
        if ((q.cHeaderOverlap[head] || q.cHeaderWritten[head]) && q.cHeaderPieces[head] > 0) {
            // Another chain may have written the header before the device read it: name the request by the type
            // the header holds now, the one a device that completed in avail order (the reference) read.
            obs.uType[u] = typeNow(q, head);
        }
        if (q.cStatusAt[head] < 0) {
            return;
        }
        obs.uStatus[u] = (int) arena.readDevice(q.cStatusAt[head], 1);
        // Lower bound of bytes written: last changed byte of the writable stream; digest of the data part.
        long pos = 0;
        long extent = 0;
        digest.start();
        for (int k = 0; k < q.cSegN[head]; k++) {
            long a = q.cSegA[head * TrackedQueue.SEGS + k];
            long len = q.cSegL[head * TrackedQueue.SEGS + k];
            if (!ShadowArena.inArena(a, len) || len > arena.bounce.length) {
                pos += len;
                continue;
            }
            arena.readIntoBounce(a, (int) len);
            int last = DataDigest.lastMismatch(arena.bounce, arena.shadow, (int) a, (int) len);
            if (last >= 0) {
                extent = pos + last + 1;
            }
            long data = Math.min(len, writable - 1 - pos); // the bytes before the status byte
            if (data > 0 && digesting) {
                digest.add(arena.bounce, (int) data);
            }
            pos += len;
        }
        long hash = digesting ? digest.hash() : 0;
        obs.uExtent[u] = extent;
        obs.uDataHash[u] = hash;
    }
}
