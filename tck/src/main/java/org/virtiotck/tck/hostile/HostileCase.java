package org.virtiotck.tck.hostile;

import java.util.List;

/**
 * One hostile case: a row of a suite's case table.
 *
 * @param id        stable case id, e.g. {@code loop.self.head.direct}
 * @param bugClass  which of the 19 classes it belongs to
 * @param what      what the driver does wrong, in a few words
 * @param transport where the case applies
 * @param accept    the reactions that conform (harms never do)
 * @param ids       the catalog requirement ids the case really checks
 * @param scenario  the driver's misbehaviour and the observation of the device's reaction
 */
public record HostileCase(String id, BugClass bugClass, String what, Transport transport,
                          AcceptableResponses accept, List<String> ids, Scenario scenario) {

    public HostileCase {
        ids = List.copyOf(ids);
    }

    /** Which transports a case runs on; elsewhere it is skipped. */
    public enum Transport {
        BOTH, MODERN, LEGACY;

        public boolean applies(boolean legacy) {
            return this == BOTH || (this == LEGACY) == legacy;
        }
    }

    /** The driver's misbehaviour: sets up the device through the {@link HostileRun}, misbehaves, returns the reaction. */
    @FunctionalInterface
    public interface Scenario {
        Reaction run(HostileRun a);
    }

    @Override
    public String toString() {
        return bugClass.number() + "/" + id + " " + ids;
    }
}
