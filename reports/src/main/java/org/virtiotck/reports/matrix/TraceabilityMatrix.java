package org.virtiotck.reports.matrix;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.TestOutcome;

/**
 * Which tests check which requirement, what they concluded, and how much of the device-testable catalog a run
 * covers. Immutable; rebuild it to take new outcomes into account.
 */
public final class TraceabilityMatrix {

    /** The areas a blk-over-MMIO device kit is expected to cover (no virtqueue reset, suspend or notif data). */
    public static final List<String> DEFAULT_AREAS = List.of(
            "status", "features", "reset", "config", "split", "init", "mmio", "mmio-legacy", "blk", "reserved");

    private final Map<String, RequirementRow> rows;
    private final List<String> unknownRequirementIds;

    private TraceabilityMatrix(Map<String, RequirementRow> rows, List<String> unknownRequirementIds) {
        this.rows = rows;
        this.unknownRequirementIds = unknownRequirementIds;
    }

    public static TraceabilityMatrix build(RequirementRegistry registry, List<TestOutcome> outcomes) {
        Map<String, List<TestOutcome>> byId = new LinkedHashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        for (TestOutcome outcome : outcomes) {
            for (String id : outcome.requirementIds()) {
                if (registry.exists(id)) {
                    byId.computeIfAbsent(id, k -> new ArrayList<>()).add(outcome);
                } else {
                    unknown.add(id);
                }
            }
        }
        Map<String, RequirementRow> rows = new LinkedHashMap<>();
        for (Requirement r : registry.all()) {
            rows.put(r.id(), row(r, byId.getOrDefault(r.id(), List.of())));
        }
        return new TraceabilityMatrix(rows, List.copyOf(unknown));
    }

    private static RequirementRow row(Requirement requirement, List<TestOutcome> covering) {
        RequirementStatus status = RequirementStatus.NOT_COVERED;
        Set<String> testIds = new LinkedHashSet<>();
        boolean exercised = false;
        for (TestOutcome outcome : covering) {
            status = status.strongest(RequirementStatus.of(outcome.verdict()));
            testIds.add(outcome.testId());
            exercised |= outcome.verdict().exercisedTarget();
        }
        return new RequirementRow(requirement, status, List.copyOf(testIds), exercised);
    }

    /** Every requirement of the registry, in catalog order. */
    public List<RequirementRow> rows() {
        return List.copyOf(rows.values());
    }

    public RequirementRow row(String id) {
        RequirementRow row = rows.get(id);
        if (row == null) {
            throw new NoSuchElementException("unknown requirement id: " + id);
        }
        return row;
    }

    /** Ids that outcomes cite but the registry does not know, e.g. typos in a test's annotation. */
    public List<String> unknownRequirementIds() {
        return unknownRequirementIds;
    }

    /** How many requirements have each aggregate status; every status is present. */
    public Map<RequirementStatus, Integer> statusCounts() {
        Map<RequirementStatus, Integer> counts = new EnumMap<>(RequirementStatus.class);
        for (RequirementStatus s : RequirementStatus.values()) {
            counts.put(s, 0);
        }
        rows.values().forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }

    /** Coverage of {@link #DEFAULT_AREAS}. */
    public Coverage coverage(CoverageMode mode) {
        return coverage(mode, DEFAULT_AREAS);
    }

    /** Coverage of the device-testable requirements in these areas (or families, per {@code mode}). */
    public Coverage coverage(CoverageMode mode, Collection<String> areas) {
        Map<String, Tally> perArea = new LinkedHashMap<>();
        areas.forEach(area -> perArea.put(area, new Tally()));
        Tally total = new Tally();
        for (RequirementRow row : rows.values()) {
            String key = mode == CoverageMode.AREA
                    ? RequirementRegistry.area(row.id()) : RequirementRegistry.areaFamily(row.id());
            Tally tally = perArea.get(key);
            if (tally != null && row.requirement().isDeviceTestable()) {
                tally.count(row);
                total.count(row);
            }
        }
        List<AreaCoverage> areaCoverages = perArea.entrySet().stream()
                .map(e -> e.getValue().toAreaCoverage(e.getKey()))
                .toList();
        return new Coverage(mode, areaCoverages, total.testable, total.covered, total.notRun.size(),
                total.uncovered, total.notRun, AreaCoverage.percent(total.covered, total.testable));
    }

    /** Running counts for one area, fed in catalog order. */
    private static final class Tally {
        private int testable;
        private int covered;
        private final List<String> notRun = new ArrayList<>();
        private final List<String> uncovered = new ArrayList<>();

        void count(RequirementRow row) {
            testable++;
            if (row.exercised()) {
                covered++;
            } else if (row.testIds().isEmpty()) {
                uncovered.add(row.id());
            } else {
                notRun.add(row.id());
            }
        }

        AreaCoverage toAreaCoverage(String area) {
            return new AreaCoverage(area, testable, covered, notRun.size(), uncovered,
                    AreaCoverage.percent(covered, testable));
        }
    }
}
