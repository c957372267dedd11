package org.virtiotck.tck.mutation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.AtomicFiles;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Merges the PIT results of several TCK configurations (one {@code mutations.xml} per configuration: modern,
 * legacy, read-only, zoned...) into one verdict per mutant, and prints the per-class and total figures that
 * {@code bench/mutation} reports.
 *
 * <p>A mutant is the same mutant in every run when its class, method, descriptor, line, mutator and bytecode
 * indexes agree (PIT generates the same mutants from the same classes). It counts as <em>killed</em> when any
 * configuration detected it (a failing test, a timeout, a memory error or a crash of the test JVM), as
 * <em>survived</em> when some configuration ran tests against it and none detected it, and as <em>no coverage</em>
 * when no configuration's tests reached it.
 */
public final class MutationSummary {

    /** The merged fate of one mutant. */
    public enum Fate { KILLED, TIMED_OUT, SURVIVED, NO_COVERAGE }

    /** One mutant, with where it is and what it does. */
    public record Mutant(String mutatedClass, String method, String descriptor, int line, String mutator,
                         String indexes, String description, String sourceFile) {
        String key() {
            return mutatedClass + '#' + method + descriptor + ':' + line + ':' + mutator + ':' + indexes;
        }

        String shortMutator() {
            return mutator.substring(mutator.lastIndexOf('.') + 1);
        }
    }

    /** Counts for one class or for the total. */
    public static final class Counts {
        int generated;
        int killed;
        int timedOut;
        int survived;
        int noCoverage;
        int triaged;

        void add(Fate f, boolean triagedOut) {
            generated++;
            if (triagedOut) {
                triaged++;
            }
            switch (f) {
                case KILLED -> killed++;
                case TIMED_OUT -> timedOut++;
                case SURVIVED -> survived++;
                case NO_COVERAGE -> noCoverage++;
            }
        }

        /**
         * Killed (including timed out) over the mutants a correct TCK could kill: every generated mutant except the
         * survivors triaged as equivalent or spec choice ({@link Triage}), in percent.
         */
        public double score() {
            int killable = generated - triaged;
            return killable == 0 ? 100.0 : 100.0 * (killed + timedOut) / killable;
        }

        /** PIT's own score: killed (including timed out) over every generated mutant, in percent. */
        public double pitScore() {
            return generated == 0 ? 100.0 : 100.0 * (killed + timedOut) / generated;
        }

        /** The denominator of {@link #score()}. */
        public int killable() {
            return generated - triaged;
        }

        public int triaged() {
            return triaged;
        }

        public int detected() {
            return killed + timedOut;
        }

        public int generated() {
            return generated;
        }

        public int survived() {
            return survived;
        }

        public int noCoverage() {
            return noCoverage;
        }
    }

    private final Map<String, Mutant> mutants = new LinkedHashMap<>();
    private final Map<String, Fate> fates = new LinkedHashMap<>();
    private final Map<String, List<String>> killedBy = new LinkedHashMap<>();
    private Triage triage = Triage.none();
    private final List<Path> sourceRoots = new ArrayList<>();
    private final Map<String, List<String>> sources = new HashMap<>();
    private Map<String, Triage.Entry> triaged;

    /**
     * Takes the survivors this triage lists out of the score. The mutants' source lines, which the triage names
     * them by, are read from the given source roots.
     */
    public void triage(Triage t, List<Path> roots) {
        triage = t;
        sourceRoots.clear();
        sourceRoots.addAll(roots);
        triaged = null;
    }

    /** The stripped source line of a mutant, or "" when its source is not under any root. */
    String lineText(Mutant m) {
        String cls = m.mutatedClass();
        String pkg = cls.contains(".") ? cls.substring(0, cls.lastIndexOf('.')).replace('.', '/') + "/" : "";
        List<String> lines = sources.computeIfAbsent(pkg + m.sourceFile(), this::readSource);
        return m.line() >= 1 && m.line() <= lines.size() ? lines.get(m.line() - 1).strip() : "";
    }

    private List<String> readSource(String relative) {
        for (Path root : sourceRoots) {
            Path p = root.resolve(relative);
            if (Files.isRegularFile(p)) {
                try {
                    return Files.readAllLines(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + p, e);
                }
            }
        }
        return List.of();
    }

    /** The triage entry of every undetected mutant the triage lists, by mutant key. */
    private Map<String, Triage.Entry> triaged() {
        if (triaged == null) {
            Map<String, Triage.Entry> out = new HashMap<>();
            Set<Triage.Entry> taken = new HashSet<>();
            fates.forEach((k, f) -> {
                if (f == Fate.SURVIVED || f == Fate.NO_COVERAGE) {
                    Mutant m = mutants.get(k);
                    Triage.Entry e = triage.find(m.mutatedClass(), m.method(), lineText(m), m.description(), taken);
                    if (e != null) {
                        out.put(k, e);
                        taken.add(e);
                    }
                }
            });
            triaged = out;
        }
        return triaged;
    }

    /** The triage entry of a mutant, or null when it is not triaged out (detected, or not listed). */
    public Triage.Entry triageOf(Mutant m) {
        return triaged().get(m.key());
    }

    /**
     * Triage entries that took no undetected mutant out of the score: their mutant is detected now, its line was
     * edited, or the entry is one more than the undetected mutants it describes. They are reported so that the
     * list stays true.
     */
    public List<Triage.Entry> staleEntries() {
        Set<Triage.Entry> used = new HashSet<>(triaged().values());
        return triage.entries().stream().filter(e -> !used.contains(e)).toList();
    }

    /** Adds one configuration's {@code mutations.xml}, merging with what earlier configurations found. */
    public void add(String configuration, Path mutationsXml) throws IOException {
        NodeList nodes;
        try {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(mutationsXml.toFile());
            nodes = doc.getElementsByTagName("mutation");
        } catch (Exception e) {
            throw new IOException("cannot read PIT results " + mutationsXml + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < nodes.getLength(); i++) {
            Element m = (Element) nodes.item(i);
            Mutant mutant = new Mutant(text(m, "mutatedClass"), text(m, "mutatedMethod"), text(m, "methodDescription"),
                    Integer.parseInt(text(m, "lineNumber")), text(m, "mutator"), text(m, "indexes"),
                    text(m, "description"), text(m, "sourceFile"));
            Fate fate = fateOf(m.getAttribute("status"));
            String key = mutant.key();
            mutants.putIfAbsent(key, mutant);
            fates.merge(key, fate, MutationSummary::better);
            if (fate == Fate.KILLED || fate == Fate.TIMED_OUT) {
                killedBy.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(detectingConfiguration(configuration, text(m, "killingTest")));
            }
        }
    }

    /**
     * The configuration whose test detected a mutant: the configuration suite named in the killing test's JUnit
     * unique id ({@code [suite:org.virtiotck.tck.mutation.LegacyConfiguration]} gives {@code Legacy}), else the
     * configuration the results file belongs to (a run of one configuration); {@link #NO_TEST} when PIT names no
     * test (a timeout or a crash of the test JVM ends the run of a mutant's tests without one).
     */
    static String detectingConfiguration(String configuration, String killingTest) {
        if (killingTest.isEmpty()) {
            return NO_TEST;
        }
        int at = killingTest.indexOf("[suite:");
        if (at < 0) {
            return configuration;
        }
        String suite = killingTest.substring(at + "[suite:".length(), killingTest.indexOf(']', at));
        return suite.substring(suite.lastIndexOf('.') + 1).replaceFirst("Configuration$", "");
    }

    /** The detector of a mutant whose detection PIT attributes to no test. */
    static final String NO_TEST = "no test named (timeout or crash)";

    /** How many mutants each configuration detected first (the first detection recorded for each mutant). */
    public Map<String, Integer> detectedFirstIn() {
        Map<String, Integer> out = new TreeMap<>();
        killedBy.values().forEach(l -> out.merge(l.get(0), 1, Integer::sum));
        return out;
    }

    private static String text(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }

    static Fate fateOf(String pitStatus) {
        return switch (pitStatus) {
            case "KILLED", "MEMORY_ERROR", "RUN_ERROR" -> Fate.KILLED;
            case "TIMED_OUT" -> Fate.TIMED_OUT;
            case "SURVIVED" -> Fate.SURVIVED;
            case "NO_COVERAGE", "NOT_STARTED", "STARTED", "NON_VIABLE" -> Fate.NO_COVERAGE;
            default -> throw new IllegalArgumentException("unknown PIT mutation status " + pitStatus);
        };
    }

    /** The stronger of two fates: detection in any configuration beats survival, survival beats no coverage. */
    static Fate better(Fate a, Fate b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    public Counts total() {
        Counts c = new Counts();
        fates.forEach((k, f) -> c.add(f, triaged().containsKey(k)));
        return c;
    }

    public Map<String, Counts> perClass() {
        Map<String, Counts> out = new TreeMap<>();
        fates.forEach((k, f) -> out.computeIfAbsent(mutants.get(k).mutatedClass(), x -> new Counts())
                .add(f, triaged().containsKey(k)));
        return out;
    }

    /** Mutants no configuration detected (survived or not covered), in class and line order. */
    public List<Mutant> undetected() {
        List<Mutant> out = new ArrayList<>();
        fates.forEach((k, f) -> {
            if (f == Fate.SURVIVED || f == Fate.NO_COVERAGE) {
                out.add(mutants.get(k));
            }
        });
        out.sort((a, b) -> a.mutatedClass().equals(b.mutatedClass()) ? Integer.compare(a.line(), b.line())
                : a.mutatedClass().compareTo(b.mutatedClass()));
        return out;
    }

    public Fate fate(Mutant m) {
        return fates.get(m.key());
    }

    /**
     * Prints the per-class table, where the detections came from, what the triage took out (and which of its
     * entries are stale), PIT's own score, and as the last line the score over the mutants a correct TCK could
     * kill.
     */
    public void print(PrintStream out) {
        String row = "%-38s %9d %7d %8d %8d %8d %7d %6.1f%% %6.1f%%%n";
        out.printf("%-38s %9s %7s %8s %8s %8s %7s %7s %7s%n", "class", "generated", "killed", "timedout",
                "survived", "nocover", "triaged", "pit", "score");
        perClass().forEach((cls, c) -> out.printf(row, cls.replace("org.virtiotck.", ""), c.generated, c.killed,
                c.timedOut, c.survived, c.noCoverage, c.triaged, c.pitScore(), c.score()));
        Counts t = total();
        out.printf(row, "TOTAL", t.generated, t.killed, t.timedOut, t.survived, t.noCoverage, t.triaged,
                t.pitScore(), t.score());
        out.println("detected first in: " + detectedFirstIn().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Map<Triage.Verdict, Long> byVerdict = new TreeMap<>(triaged().values().stream()
                .collect(Collectors.groupingBy(Triage.Entry::verdict, Collectors.counting())));
        out.printf("triaged out of the score: %d survivors (equivalent %d, spec choice %d); still undetected and "
                        + "counted: %d%n", t.triaged, byVerdict.getOrDefault(Triage.Verdict.EQUIVALENT, 0L),
                byVerdict.getOrDefault(Triage.Verdict.SPEC_CHOICE, 0L), t.survived + t.noCoverage - t.triaged);
        for (Triage.Entry e : staleEntries()) {
            out.println("stale triage entry (no undetected mutant left for it: detected now, line edited, or one entry too many): " + e.where() + " "
                    + e.mutatedClass() + "." + e.method() + " '" + e.description() + "'");
        }
        out.printf("PIT's own score, every mutant counted: %.1f%% (killed %d of %d)%n", t.pitScore(), t.detected(),
                t.generated);
        out.printf("mutation score: %.1f%% (killed %d of %d)%n", t.score(), t.detected(), t.killable());
    }

    /** Writes the machine-readable summary (atomically). */
    public void writeJson(Path file, Map<String, Object> run) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(run);
        Counts t = total();
        root.put("total", countsJson(t));
        Map<String, Object> classes = new LinkedHashMap<>();
        perClass().forEach((cls, c) -> classes.put(cls, countsJson(c)));
        root.put("classes", classes);
        root.put("detectedFirstIn", detectedFirstIn());
        List<Map<String, Object>> undetected = new ArrayList<>();
        for (Mutant m : undetected()) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("class", m.mutatedClass());
            u.put("method", m.method());
            u.put("line", m.line());
            u.put("mutator", m.shortMutator());
            u.put("description", m.description());
            u.put("status", fate(m).name());
            u.put("lineText", lineText(m));
            Triage.Entry e = triageOf(m);
            if (e != null) {
                u.put("verdict", e.verdict() == Triage.Verdict.EQUIVALENT ? "equivalent" : "spec-choice");
                u.put("reason", e.reason());
                u.put("triagedAt", e.where());
            }
            undetected.add(u);
        }
        root.put("undetected", undetected);
        root.put("staleTriage", staleEntries().stream().map(Triage.Entry::where).toList());
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        AtomicFiles.write(file, json);
    }

    private static Map<String, Object> countsJson(Counts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generated", c.generated);
        m.put("killed", c.killed);
        m.put("timedOut", c.timedOut);
        m.put("survived", c.survived);
        m.put("noCoverage", c.noCoverage);
        m.put("triaged", c.triaged);
        m.put("score", Math.round(c.score() * 10) / 10.0);
        m.put("pitScore", Math.round(c.pitScore() * 10) / 10.0);
        return m;
    }

    /**
     * {@code MutationSummary [--sources=DIR]... [--triage=FILE]... OUT_JSON SECONDS CONFIG=mutations.xml...}: merge,
     * take the triaged survivors out (their source lines read under the {@code --sources} roots), print, and write
     * the JSON summary. Exit code 2, with one line on stderr, for bad arguments or a triage file that cannot be read.
     */
    public static void main(String[] args) throws IOException {
        List<Path> roots = new ArrayList<>();
        List<Path> triageFiles = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--sources=")) {
                roots.add(Path.of(a.substring("--sources=".length())));
            } else if (a.startsWith("--triage=")) {
                triageFiles.add(Path.of(a.substring("--triage=".length())));
            } else if (a.startsWith("--")) {
                fail("unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.size() < 3) {
            fail("usage: MutationSummary [--sources=DIR]... [--triage=FILE]... OUT.json SECONDS NAME=mutations.xml...");
        }
        MutationSummary s = new MutationSummary();
        List<String> configurations = new ArrayList<>();
        for (String arg : positional.subList(2, positional.size())) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                fail("expected NAME=path, got " + arg);
            }
            String name = arg.substring(0, eq);
            Path xml = Path.of(arg.substring(eq + 1));
            if (!Files.isRegularFile(xml)) {
                fail("no PIT results for " + name + " at " + xml);
            }
            s.add(name, xml);
            configurations.add(name);
        }
        for (Path f : triageFiles) {
            if (!Files.isRegularFile(f)) {
                fail("no triage file at " + f);
            }
        }
        try {
            s.triage(Triage.read(triageFiles, RequirementRegistry.load()), roots);
        } catch (Triage.TriageException e) {
            fail(e.getMessage());
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("configurations", configurations);
        run.put("seconds", Long.parseLong(positional.get(1)));
        run.put("triageFiles", triageFiles.stream().map(Path::toString).toList());
        s.writeJson(Path.of(positional.get(0)), run);
        s.print(System.out);
    }

    private static void fail(String message) {
        System.err.println("MutationSummary: " + message);
        System.exit(2);
    }
}
