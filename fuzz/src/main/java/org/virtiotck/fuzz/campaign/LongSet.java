package org.virtiotck.fuzz.campaign;

/** A growable open-addressing set of longs (no boxing): the campaign's feature set. 0 is stored out of band. */
public final class LongSet {
    private long[] table = new long[1 << 12];
    private int size;
    private boolean hasZero;

    public boolean add(long v) {
        if (v == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int mask = table.length - 1;
        int i = (int) (v ^ (v >>> 29)) & mask;
        while (true) {
            long cur = table[i];
            if (cur == v) {
                return false;
            }
            if (cur == 0) {
                table[i] = v;
                size++;
                if (size * 2 > table.length) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    public boolean contains(long v) {
        if (v == 0) {
            return hasZero;
        }
        int mask = table.length - 1;
        int i = (int) (v ^ (v >>> 29)) & mask;
        while (true) {
            long cur = table[i];
            if (cur == v) {
                return true;
            }
            if (cur == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int n = size;
        size = hasZero ? 1 : 0;
        for (long v : old) {
            if (v != 0) {
                add(v);
            }
        }
        assert size == n;
    }
}
