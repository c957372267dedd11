package org.virtiotck.device;

/**
 * A driver-side rule the strict device saw broken: the catalog id of the rule (a {@code *.drv.*} id) and
 * what happened, in words.
 */
public record DriverViolation(String requirementId, String detail) {
    @Override
    public String toString() {
        return requirementId + ": " + detail;
    }
}
