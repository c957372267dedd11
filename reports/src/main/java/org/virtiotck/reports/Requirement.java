package org.virtiotck.reports;

import java.util.Objects;

/**
 * One normative statement of the requirement catalog, as the project carries it: the facts copied from the
 * catalog plus a one-line summary in our own words.
 *
 * @param id          catalog id, {@code <area>.<dev|drv>.<n>}, e.g. {@code mmio.dev.2}
 * @param section     spec section number, e.g. {@code 4.2.2.1}
 * @param title       title of that section
 * @param actor       who must comply
 * @param level       RFC-2119 strength
 * @param testable    whether a harness on the other side can observe a violation
 * @param descriptive true for statements taken from non-normative prose (no keyword in the spec)
 * @param since       first VirtIO version whose text contains the statement: 1.2, 1.3 or 1.4
 * @param summary     our one-line paraphrase
 */
public record Requirement(String id, String section, String title, Actor actor, Level level,
                          Testability testable, boolean descriptive, String since, String summary) {

    public Requirement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(testable, "testable");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(summary, "summary");
    }

    /** The area of this requirement; see {@link RequirementRegistry#area(String)}. */
    public String area() {
        return RequirementRegistry.area(id);
    }

    /** True for device rules a driver-side harness can check at least in part: what the TCK aims to cover. */
    public boolean isDeviceTestable() {
        return actor == Actor.DEVICE && testable != Testability.NO;
    }

    public enum Actor { DEVICE, DRIVER }

    public enum Level {
        MUST, MUST_NOT, SHOULD, SHOULD_NOT, MAY;

        /** The catalog spelling, e.g. {@code MUST NOT}. */
        public String label() {
            return name().replace('_', ' ');
        }
    }

    /** The catalog's {@code driver_side_testable}: {@code PARTLY} needs host help, timing luck or a big-endian guest. */
    public enum Testability { YES, PARTLY, NO }
}
