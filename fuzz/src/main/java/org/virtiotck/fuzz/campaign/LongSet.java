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
        int i = slot(v);
        if (table[i] == v) {
            return false;
        }
        table[i] = v;
        size++;
        if (size * 2 > table.length) {
            grow();
        }
        return true;
    }

    public boolean contains(long v) {
        return v == 0 ? hasZero : table[slot(v)] == v;
    }

    /** The slot holding {@code v} (not 0), or else the empty slot where it goes: linear probing from its hash. */
    private int slot(long v) {
        int mask = table.length - 1;
        int i = (int) (v ^ (v >>> 29)) & mask;
        while (table[i] != v && table[i] != 0) {
            i = (i + 1) & mask;
        }
        return i;
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
