package org.virtiotck.tck.hostile;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The reactions a case accepts. Harms ({@link Harm}) are never acceptable and need not be listed.
 *
 * <p>One rule is applied for every case on the legacy interface: wherever DEVICE_NEEDS_RESET with a configuration
 * interrupt is accepted, a legacy device may also stop serving silently or set the bit without an interrupt,
 * because the legacy interface (VirtIO 0.9.5, §4.2.4 register layout) has no DEVICE_NEEDS_RESET status bit: a
 * transitional device driven through it has no way to signal the error (QEMU marks itself broken and stops).
 */
public record AcceptableResponses(Set<Reaction> allowed) {

    public AcceptableResponses {
        allowed = Set.copyOf(allowed);
    }

    public static AcceptableResponses of(Reaction first, Reaction... rest) {
        return new AcceptableResponses(EnumSet.of(first, rest));
    }

    /** Adds reactions (e.g. {@code REFUSE.and(COMPLETED_OK)}). */
    public AcceptableResponses and(Reaction... more) {
        EnumSet<Reaction> s = EnumSet.copyOf(allowed);
        s.addAll(Set.of(more));
        return new AcceptableResponses(s);
    }

    /** The accepted reactions for a device on the given transport (see the legacy rule above). */
    public Set<Reaction> allowedOn(boolean legacy) {
        EnumSet<Reaction> s = EnumSet.copyOf(allowed);
        if (legacy && s.contains(Reaction.NEEDS_RESET_WITH_CONFIG_IRQ)) {
            s.add(Reaction.NEEDS_RESET_WITHOUT_IRQ);
            s.add(Reaction.STOPPED_SILENTLY);
        }
        return s;
    }

    @Override
    public String toString() {
        return allowed.stream().sorted().map(Enum::name).collect(Collectors.joining(" | "));
    }
}
