package org.virtiotck.tck.mutation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
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
                         String indexes, String description) {
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

        void add(Fate f) {
            generated++;
            switch (f) {
                case KILLED -> killed++;
                case TIMED_OUT -> timedOut++;
                case SURVIVED -> survived++;
                case NO_COVERAGE -> noCoverage++;
            }
        }

        /** Killed (including timed out) over all generated mutants, in percent. */
        public double score() {
            return generated == 0 ? 100.0 : 100.0 * (killed + timedOut) / generated;
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
                    text(m, "description"));
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
        fates.values().forEach(c::add);
        return c;
    }

    public Map<String, Counts> perClass() {
        Map<String, Counts> out = new TreeMap<>();
        fates.forEach((k, f) -> out.computeIfAbsent(mutants.get(k).mutatedClass(), x -> new Counts()).add(f));
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

    /** Prints the per-class table, the survivors, and as the last line the score. */
    public void print(PrintStream out) {
        out.printf("%-44s %9s %7s %8s %8s %8s %7s%n", "class", "generated", "killed", "timedout", "survived",
                "nocover", "score");
        perClass().forEach((cls, c) -> out.printf("%-44s %9d %7d %8d %8d %8d %6.1f%%%n",
                cls.replace("org.virtiotck.", ""), c.generated, c.killed, c.timedOut, c.survived, c.noCoverage,
                c.score()));
        Counts t = total();
        out.printf("%-44s %9d %7d %8d %8d %8d %6.1f%%%n", "TOTAL", t.generated, t.killed, t.timedOut, t.survived,
                t.noCoverage, t.score());
        out.println("detected first in: " + detectedFirstIn().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        out.printf("mutation score: %.1f%% (killed %d of %d)%n", t.score(), t.detected(), t.generated);
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
            undetected.add(u);
        }
        root.put("undetected", undetected);
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
        m.put("score", Math.round(c.score() * 10) / 10.0);
        return m;
    }

    /**
     * {@code MutationSummary OUT_JSON SECONDS CONFIG=mutations.xml...}: merge, print, write the JSON summary.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: MutationSummary OUT.json SECONDS NAME=mutations.xml...");
            System.exit(2);
        }
        MutationSummary s = new MutationSummary();
        List<String> configurations = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("MutationSummary: expected NAME=path, got " + args[i]);
                System.exit(2);
            }
            String name = args[i].substring(0, eq);
            Path xml = Path.of(args[i].substring(eq + 1));
            if (!Files.isRegularFile(xml)) {
                System.err.println("MutationSummary: no PIT results for " + name + " at " + xml);
                System.exit(2);
            }
            s.add(name, xml);
            configurations.add(name);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("configurations", configurations);
        run.put("seconds", Long.parseLong(args[1]));
        s.writeJson(Path.of(args[0]), run);
        s.print(System.out);
    }
}
