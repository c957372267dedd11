package org.virtiotck.tck.gen;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable sequence of recorded choices: the complete "tape" a {@link Source} consumed while a {@link Gen}
 * produced one value. Every choice is an unsigned 64-bit number; 0 is always the simplest choice.
 *
 * <p>Replaying the same sequence through the same generator reproduces the same value; replaying an edited sequence
 * (fewer or smaller choices) produces a structurally simpler value. That is what {@link Shrinker} exploits.
 *
 * <p>A sequence produced by a run also carries {@linkplain #spans() spans}: the extents of the sub-generators that
 * were drawn (list elements, flatMap stages, ...). Spans are metadata that help the shrinker delete whole
 * structures; they take no part in {@link #equals(Object)} and are not {@linkplain #encode() serialized}.
 *
 * <p>Ordering: {@link #compareTo(ChoiceSequence)} is <em>shortlex</em> (shorter first, then lexicographic on the
 * unsigned values). The shrinker only ever accepts strictly shortlex-smaller sequences, so it always terminates.
 */
public final class ChoiceSequence implements Comparable<ChoiceSequence> {
    /** Prefix of the {@link #encode() textual form}; the digit is the format version. */
    public static final String ENCODING_PREFIX = "cs1:";

    /** An empty sequence: replaying it draws the minimal value of every choice. */
    public static final ChoiceSequence EMPTY = new ChoiceSequence(new long[0], List.of());

    /**
     * The extent {@code [start, end)} of one sub-generator's choices.
     *
     * @param start first choice index (inclusive)
     * @param end   last choice index (exclusive)
     * @param depth nesting depth, 0 for outermost spans
     * @param label identifies the generator that drew the span; equal labels mean "same kind of structure"
     */
    public record Span(int start, int end, int depth, int label) {
        public Span {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
            }
        }

        public int length() {
            return end - start;
        }
    }

    private final long[] values;
    private final List<Span> spans;

    private ChoiceSequence(long[] values, List<Span> spans) {
        this.values = values;
        this.spans = spans;
    }

    /** A sequence of the given (unsigned) choices, without spans. */
    public static ChoiceSequence of(long... values) {
        return new ChoiceSequence(values.clone(), List.of());
    }

    /** A sequence of the given (unsigned) choices, without spans. */
    public static ChoiceSequence of(List<Long> values) {
        long[] v = new long[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return new ChoiceSequence(v, List.of());
    }

    static ChoiceSequence withSpans(long[] values, List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.removeIf(s -> s.end() > values.length || s.length() == 0);
        sorted.sort(Comparator.comparingInt(Span::start).thenComparingInt(Span::depth));
        return new ChoiceSequence(values, List.copyOf(sorted));
    }

    public int length() {
        return values.length;
    }

    public boolean isEmpty() {
        return values.length == 0;
    }

    /** The unsigned choice at {@code index}. */
    public long get(int index) {
        return values[index];
    }

    /** A copy of the choices. */
    public long[] toArray() {
        return values.clone();
    }

    /** The spans recorded by the run that produced this sequence, ordered by start then depth; may be empty. */
    public List<Span> spans() {
        return spans;
    }

    /** This sequence without span metadata. */
    public ChoiceSequence withoutSpans() {
        return spans.isEmpty() ? this : new ChoiceSequence(values, List.of());
    }

    /** A copy with the choice at {@code index} replaced (spans dropped). */
    public ChoiceSequence with(int index, long value) {
        long[] v = values.clone();
        v[index] = value;
        return new ChoiceSequence(v, List.of());
    }

    /** A copy without the choices in {@code [from, to)} (spans dropped). */
    public ChoiceSequence delete(int from, int to) {
        checkRange(from, to);
        long[] v = new long[values.length - (to - from)];
        System.arraycopy(values, 0, v, 0, from);
        System.arraycopy(values, to, v, from, values.length - to);
        return new ChoiceSequence(v, List.of());
    }

    /** A copy with the choices in {@code [from, to)} set to 0 (spans dropped). */
    public ChoiceSequence zero(int from, int to) {
        checkRange(from, to);
        long[] v = values.clone();
        Arrays.fill(v, from, to, 0L);
        return new ChoiceSequence(v, List.of());
    }

    /** A copy with {@code replacement} written over the choices starting at {@code from} (spans dropped). */
    public ChoiceSequence overwrite(int from, long[] replacement) {
        checkRange(from, from + replacement.length);
        long[] v = values.clone();
        System.arraycopy(replacement, 0, v, from, replacement.length);
        return new ChoiceSequence(v, List.of());
    }

    /** The choices in {@code [from, to)}. */
    public long[] slice(int from, int to) {
        checkRange(from, to);
        return Arrays.copyOfRange(values, from, to);
    }

    /** The first {@code n} choices (or all of them). */
    public ChoiceSequence prefix(int n) {
        return n >= values.length ? withoutSpans() : new ChoiceSequence(Arrays.copyOf(values, n), List.of());
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to < from || to > values.length) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + values.length);
        }
    }

    /** Shortlex order: shorter sequences first, then lexicographic by unsigned value. */
    @Override
    public int compareTo(ChoiceSequence o) {
        int c = Integer.compare(values.length, o.values.length);
        if (c != 0) {
            return c;
        }
        return Arrays.compareUnsigned(values, o.values);
    }

    /** {@code true} if this sequence is strictly shortlex-smaller (simpler) than {@code o}. */
    public boolean simplerThan(ChoiceSequence o) {
        return compareTo(o) < 0;
    }

    // ------------------------------------------------------------------------------------------ serialization

    /**
     * A compact, URL- and shell-safe text form: {@value #ENCODING_PREFIX} followed by unpadded base64url of the
     * choices as unsigned LEB128 varints. Spans are not kept.
     */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.length * 2);
        for (long v : values) {
            long x = v;
            while ((x & ~0x7FL) != 0) {
                out.write((int) ((x & 0x7F) | 0x80));
                x >>>= 7;
            }
            out.write((int) x);
        }
        return ENCODING_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /**
     * Parses the output of {@link #encode()}.
     *
     * @throws IllegalArgumentException if {@code text} is not a valid encoding
     */
    public static ChoiceSequence decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null choice sequence");
        }
        String t = text.strip();
        if (!t.startsWith(ENCODING_PREFIX)) {
            throw new IllegalArgumentException("choice sequence must start with '" + ENCODING_PREFIX + "': " + text);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(t.substring(ENCODING_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in choice sequence: " + text, e);
        }
        long[] out = new long[bytes.length];
        int n = 0;
        int i = 0;
        while (i < bytes.length) {
            long v = 0;
            int shift = 0;
            while (true) {
                if (i >= bytes.length) {
                    throw new IllegalArgumentException("truncated varint in choice sequence: " + text);
                }
                int b = bytes[i++] & 0xFF;
                if (shift == 63 && (b & 0x7E) != 0 || shift > 63) {
                    throw new IllegalArgumentException("varint overflows 64 bits in choice sequence: " + text);
                }
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            out[n++] = v;
        }
        return new ChoiceSequence(Arrays.copyOf(out, n), List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChoiceSequence c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** The choices as unsigned decimals, e.g. {@code [1, 0, 1000, 0]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Long.toUnsignedString(values[i]));
        }
        return sb.append(']').toString();
    }
}
