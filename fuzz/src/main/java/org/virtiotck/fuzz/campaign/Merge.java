package org.virtiotck.fuzz.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.virtiotck.reports.json.FuzzReport;

/**
 * Combines the reports of several shards or machines into one: execs and coverage add up (coverage as an upper
 * bound: features are not deduplicated across reports), findings are deduplicated by signature keeping the
 * shortest reproducer and summing hits, series are kept side by side (sorted by time).
 */
public final class Merge {
    private Merge() {
    }

    /** A report file, or a directory holding {@value FuzzReport#FILE_NAME}. */
    public static Path reportIn(Path p) {
        return Files.isDirectory(p) ? p.resolve(FuzzReport.FILE_NAME) : p;
    }

    public static FuzzReport merge(List<FuzzReport> reports, List<String> sources) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        FuzzReport first = reports.get(0);
        long execs = 0;
        long duration = 0;
        long features = 0;
        long corpus = 0;
        long resetKinds = 0;
        boolean finished = true;
        TreeSet<String> rules = new TreeSet<>();
        List<FuzzReport.Sample> series = new ArrayList<>();
        Map<String, FuzzReport.FindingEntry> bySig = new LinkedHashMap<>();
        Map<String, FuzzReport.FlakyEntry> flaky = new LinkedHashMap<>();
        Map<String, FuzzReport.WaivedEntry> waived = new LinkedHashMap<>();
        double roundTrips = 0;
        long triage = 0;
        String started = first.startedAt();
        int jobs = 0;
        for (FuzzReport r : reports) {
            execs += r.execs();
            duration = Math.max(duration, r.durationMillis());
            jobs += r.jobs();
            finished &= r.finished();
            if (r.startedAt() != null && (started == null || r.startedAt().compareTo(started) < 0)) {
                started = r.startedAt();
            }
            if (r.coverage() != null) {
                features += r.coverage().features();
                corpus += r.coverage().corpus();
                rules.addAll(r.coverage().driverRules());
                resetKinds = Math.max(resetKinds, r.coverage().needsResetKinds());
            }
            series.addAll(r.series());
            roundTrips += r.roundTripsPerExec() * r.execs();
            triage = Math.max(triage, r.triageMillis());
            for (FuzzReport.FlakyEntry f : r.flaky() == null ? List.<FuzzReport.FlakyEntry>of() : r.flaky()) {
                flaky.putIfAbsent(f.signature(), f);
            }
            for (FuzzReport.WaivedEntry w : r.waived() == null ? List.<FuzzReport.WaivedEntry>of() : r.waived()) {
                waived.merge(w.signature(), w, (a, b) -> new FuzzReport.WaivedEntry(a.signature(), a.kind(),
                        a.summary(), a.requirementIds(), a.severity(), a.hits() + b.hits(), a.reason()));
            }
            for (FuzzReport.FindingEntry f : r.findings()) {
                FuzzReport.FindingEntry known = bySig.get(f.signature());
                if (known == null) {
                    bySig.put(f.signature(), f);
                } else {
                    FuzzReport.FindingEntry shorter = f.minimizedOps() < known.minimizedOps() ? f : known;
                    bySig.put(f.signature(), shorter.withHits(f.hits() + known.hits()));
                }
            }
        }
        series.sort(Comparator.comparingLong(FuzzReport.Sample::elapsedMillis));
        return new FuzzReport(FuzzReport.SCHEMA, Campaign.tool(), first.target(), first.oracle(), first.seed(),
                new FuzzReport.Shard(0, 1), jobs, started, Instant.now().toString(), finished, duration, null, null,
                execs, duration > 0 ? Math.round(execs * 10000.0 / duration) / 10.0 : 0,
                new FuzzReport.CoverageDesc(features, corpus, List.copyOf(rules), resetKinds), series,
                List.copyOf(bySig.values()), first.replay(), sources,
                execs > 0 ? Math.round(roundTrips * 10.0 / execs) / 10.0 : 0, triage,
                flaky.values().stream().filter(f -> !bySig.containsKey(f.signature())).toList(),
                List.copyOf(waived.values()));
    }

    public static FuzzReport mergeFiles(List<Path> inputs) throws IOException {
        List<FuzzReport> reports = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path p : inputs) {
            Path f = reportIn(p);
            reports.add(FuzzReport.read(f));
            sources.add(f.toString());
        }
        return merge(reports, sources);
    }
}
