package org.virtiotck.tck.hostile;

import java.util.Set;
import org.virtiotck.tck.junit.ConformanceFailure;

/**
 * A hostile case failed: the reaction was not acceptable, or harm was seen. Memory or disk corruption sets the
 * {@code corruption} flag (CRITICAL severity); {@link #high()} says whether the harm is a wedge the reports should
 * rank HIGH (a listener that knows this type can do so; otherwise such failures rank by their ids' levels).
 */
public final class HostileFailure extends ConformanceFailure {
    private static final long serialVersionUID = 1L;

    private final transient Reaction reaction;
    private final transient Set<Harm> harms;
    private final boolean robustness;

    public HostileFailure(String expected, String observed, Reaction reaction, Set<Harm> harms) {
        this(expected, observed, reaction, harms, false);
    }

    /**
     * @param robustness the reaction was allowed and harmless, but dangerous: a robustness finding (severity LOW)
     */
    public HostileFailure(String expected, String observed, Reaction reaction, Set<Harm> harms, boolean robustness) {
        super(expected, observed, harms.stream().anyMatch(Harm::critical));
        this.reaction = reaction;
        this.harms = Set.copyOf(harms);
        this.robustness = robustness && harms.isEmpty();
    }

    /**
     * The device followed a structure a driver must never build and that no device MUST forbids it to follow (it
     * completed it, without harm): a robustness finding, severity LOW.
     */
    public boolean robustness() {
        return robustness;
    }

    public Reaction reaction() {
        return reaction;
    }

    public Set<Harm> harms() {
        return harms;
    }

    /** A wedge or a device that does not come back after reset: HIGH severity by the scale. */
    public boolean high() {
        return !corruption() && harms.stream().anyMatch(Harm::high);
    }
}
