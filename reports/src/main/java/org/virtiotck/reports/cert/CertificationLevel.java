package org.virtiotck.reports.cert;

import java.util.Optional;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;

/**
 * How much of a run must be clean for a target to be certified. Each level includes the ones before it.
 *
 * <ul>
 *   <li>{@link #REQUIRED}: outcomes that verify a device MUST or MUST NOT (normative or descriptive);</li>
 *   <li>{@link #RECOMMENDED}: also outcomes that verify a device SHOULD or SHOULD NOT;</li>
 *   <li>{@link #FULL}: every outcome, including MAY rows, driver-side rows, unknown ids and tests citing no id.</li>
 * </ul>
 */
public enum CertificationLevel {
    REQUIRED, RECOMMENDED, FULL;

    /** True when an outcome of level {@code tier} must be clean to certify at this level. */
    public boolean includes(CertificationLevel tier) {
        return tier.ordinal() <= ordinal();
    }

    /** The level at which one requirement starts to count: device MUST* → REQUIRED, device SHOULD* → RECOMMENDED. */
    public static CertificationLevel of(Requirement requirement) {
        if (requirement.actor() != Requirement.Actor.DEVICE) {
            return FULL;
        }
        return switch (requirement.level()) {
            case MUST, MUST_NOT -> REQUIRED;
            case SHOULD, SHOULD_NOT -> RECOMMENDED;
            case MAY -> FULL;
        };
    }

    /** The level of a requirement id; ids the registry does not know count only at {@link #FULL}. */
    public static CertificationLevel of(String requirementId, RequirementRegistry registry) {
        Optional<Requirement> r = registry.find(requirementId);
        return r.map(CertificationLevel::of).orElse(FULL);
    }

    /** The strongest (lowest) level among these ids; {@link #FULL} when none is known. */
    public static CertificationLevel strongest(Iterable<String> requirementIds, RequirementRegistry registry) {
        CertificationLevel best = FULL;
        for (String id : requirementIds) {
            CertificationLevel l = of(id, registry);
            if (l.ordinal() < best.ordinal()) {
                best = l;
            }
        }
        return best;
    }

    /** Parses {@code required}, {@code Recommended}, {@code FULL}; for CLI options. */
    public static CertificationLevel parse(String text) {
        for (CertificationLevel l : values()) {
            if (l.name().equalsIgnoreCase(text.strip())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown certification level '" + text
                + "', expected one of required, recommended, full");
    }
}
