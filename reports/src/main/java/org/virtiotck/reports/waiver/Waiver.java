package org.virtiotck.reports.waiver;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One accepted deviation: failures of {@code requirementId}, optionally only in tests whose id matches
 * {@code testPattern}, are reported as waived with {@code reason}.
 *
 * @param requirementId catalog id
 * @param testPattern   glob over test ids ({@code *} any run of characters, {@code ?} one character), or null for
 *                      every test
 * @param reason        why the deviation is accepted
 * @param line          line of the waiver file it came from, for messages
 */
public record Waiver(String requirementId, String testPattern, String reason, int line) {

    public Waiver {
        Objects.requireNonNull(requirementId, "requirementId");
        Objects.requireNonNull(reason, "reason");
    }

    /** True when this waiver covers {@code requirementId} as checked by the test {@code testId}. */
    public boolean covers(String requirementId, String testId) {
        return this.requirementId.equals(requirementId)
                && (testPattern == null || globRegex(testPattern).matcher(testId).matches());
    }

    private static Pattern globRegex(String glob) {
        var regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
