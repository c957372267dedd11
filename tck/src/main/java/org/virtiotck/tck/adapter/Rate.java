package org.virtiotck.tck.adapter;

import java.util.Arrays;

/**
 * The timing loops of the adapter benchmarks ({@code bench/run}): how many operations per second a batch of them
 * sustains, and two such rates measured in alternating slices so that both see the same machine load.
 */
public final class Rate {
    private Rate() {
    }

    /** One batch of operations; returns how many it did. */
    @FunctionalInterface
    public interface Batch<E extends Exception> {
        int run() throws E;
    }

    /** One rate measured for about {@code nanos}, in operations per second. */
    @FunctionalInterface
    public interface Measure<E extends Exception> {
        double perSecond(long nanos) throws E;
    }

    /** The two means and the median ratio of {@link #paired}. */
    public record Paired(double first, double second, double medianRatio) {
        /** Mean of the second over mean of the first. */
        public double ratio() {
            return second / first;
        }
    }

    /** Runs {@code batch} again and again for about {@code nanos}; returns {operations, elapsed nanos}. */
    public static <E extends Exception> long[] measure(long nanos, Batch<E> batch) throws E {
        long n = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            n += batch.run();
            now = System.nanoTime();
        } while (now < end);
        return new long[] {n, now - start};
    }

    /** Operations per second of {@code batch}, run for about {@code nanos}. */
    public static <E extends Exception> double perSecond(long nanos, Batch<E> batch) throws E {
        long[] r = measure(nanos, batch);
        return r[0] * 1e9 / r[1];
    }

    /**
     * Measures {@code first} and {@code second} alternately in {@code slices} short slices, half of about
     * {@code seconds} each; returns their mean rates and the median of the per-slice ratios second/first.
     */
    public static <E extends Exception> Paired paired(double seconds, int slices, Measure<E> first,
                                                     Measure<E> second) throws E {
        long slice = (long) (seconds * 1e9 / (2 * slices));
        double[] ratios = new double[slices];
        double a = 0;
        double b = 0;
        for (int i = 0; i < slices; i++) {
            double ra = first.perSecond(slice);
            double rb = second.perSecond(slice);
            a += ra;
            b += rb;
            ratios[i] = rb / ra;
        }
        Arrays.sort(ratios);
        return new Paired(a / slices, b / slices, ratios[slices / 2]);
    }
}
