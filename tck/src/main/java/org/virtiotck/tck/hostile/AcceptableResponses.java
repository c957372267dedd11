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
 *
 * <p>A second rule holds on both transports: wherever DEVICE_NEEDS_RESET is accepted, setting it while DRIVER_OK is
 * clear ({@link Reaction#NEEDS_RESET_BEFORE_DRIVER_OK}) is accepted too, without a configuration interrupt, because
 * status.dev.4 asks for the interrupt only if DRIVER_OK is set (QEMU's {@code virtio_notify_config} does not notify
 * while DRIVER_OK is clear either).
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

    /** The accepted reactions for a device on the given transport (see the two rules above). */
    public Set<Reaction> allowedOn(boolean legacy) {
        EnumSet<Reaction> s = EnumSet.copyOf(allowed);
        if (s.contains(Reaction.NEEDS_RESET_WITH_CONFIG_IRQ)) {
            s.add(Reaction.NEEDS_RESET_BEFORE_DRIVER_OK);
            if (legacy) {
                s.add(Reaction.NEEDS_RESET_WITHOUT_IRQ);
                s.add(Reaction.STOPPED_SILENTLY);
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return allowed.stream().sorted().map(Enum::name).collect(Collectors.joining(" | "));
    }
}
