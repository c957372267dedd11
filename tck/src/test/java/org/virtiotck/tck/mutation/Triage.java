package org.virtiotck.tck.mutation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtiotck.reports.RequirementRegistry;

/**
 * The survivors a person has judged unkillable by a correct TCK, one line per mutant, read from the area files
 * {@code docs/mutation/*.tsv}.
 *
 * <p>A line has six tab-separated columns: the mutated class without its package ({@code BlockRequestHandler},
 * {@code DescriptorChain$Cursor}), PIT's method name, the source line of the mutant stripped of surrounding
 * whitespace, PIT's description of the mutation, the verdict and the reason. The line is named by its text, not
 * its number, so that an edit elsewhere in the file does not unhinge the list; an entry that no longer matches an
 * undetected mutant is reported as stale rather than silently kept.
 *
 * <p>Two verdicts exist, and only these leave the score's denominator:
 * <ul>
 *   <li>{@code equivalent}: no guest can tell the mutant from the device in any configuration (defence in depth
 *       whose other half still holds, a value no guest reads, a buffer sized differently);</li>
 *   <li>{@code spec-choice}: the spec lets the device behave either way. The reason must cite, written whole, a
 *       requirement id of the catalog that leaves the behaviour to the device or the driver rule whose breaking
 *       leaves it undefined; a spec-choice line citing no known id is refused.</li>
 * </ul>
 * Code a configuration of the bench does not reach, or a survivor nobody has explained, is not triage: it stays in
 * the denominator until a test kills it.
 */
public final class Triage {

    /** The two verdicts that take a survivor out of the score. */
    public enum Verdict { EQUIVALENT, SPEC_CHOICE }

    /** One triaged mutant: where it is, what PIT did to it, and why it cannot be killed. */
    public record Entry(String file, int lineNo, String mutatedClass, String method, String lineText,
                        String description, Verdict verdict, String reason) {
        /** Where the entry is written, for messages. */
        public String where() {
            return file + ":" + lineNo;
        }

        boolean matches(String simpleClass, String m, String text, String desc) {
            return mutatedClass.equals(simpleClass) && method.equals(m) && lineText.equals(text)
                    && description.equals(desc);
        }
    }

    /** A triage file that cannot be read as one; the message names the file and line. */
    public static final class TriageException extends IOException {
        public TriageException(String message) {
            super(message);
        }
    }

    private static final Pattern REQUIREMENT_ID = Pattern.compile("\\b[a-z][a-z0-9-]*\\.(?:dev|drv)\\.[0-9]+\\b");
    private static final int MIN_REASON = 12;

    private final List<Entry> entries;

    private Triage(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No triage: every undetected mutant counts. */
    public static Triage none() {
        return new Triage(List.of());
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Reads the given files, checking every line against the catalog. */
    public static Triage read(List<Path> files, RequirementRegistry catalog) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                out.add(parse(f.toString(), i + 1, line, catalog));
            }
        }
        return new Triage(out);
    }

    static Entry parse(String file, int lineNo, String line, RequirementRegistry catalog) throws TriageException {
        String at = file + ":" + lineNo + ": ";
        String[] c = line.split("\t", -1);
        if (c.length != 6) {
            throw new TriageException(at + "expected 6 tab-separated columns (class, method, line text, "
                    + "description, verdict, reason), got " + c.length);
        }
        for (int i = 0; i < 6; i++) {
            if (c[i].isBlank()) {
                throw new TriageException(at + "column " + (i + 1) + " is empty");
            }
        }
        if (c[0].contains(".")) {
            throw new TriageException(at + "class '" + c[0] + "' must be written without its package");
        }
        Verdict verdict = switch (c[4].strip()) {
            case "equivalent" -> Verdict.EQUIVALENT;
            case "spec-choice" -> Verdict.SPEC_CHOICE;
            default -> throw new TriageException(at + "verdict must be 'equivalent' or 'spec-choice', got '"
                    + c[4].strip() + "' (a survivor that is neither stays in the score until a test kills it)");
        };
        String reason = c[5].strip();
        if (reason.length() < MIN_REASON) {
            throw new TriageException(at + "the reason '" + reason + "' says too little");
        }
        if (verdict == Verdict.SPEC_CHOICE) {
            Matcher m = REQUIREMENT_ID.matcher(reason);
            boolean cited = false;
            while (m.find()) {
                if (!catalog.exists(m.group())) {
                    throw new TriageException(at + "cites " + m.group() + ", which is not in the catalog");
                }
                cited = true;
            }
            if (!cited) {
                throw new TriageException(at + "a spec-choice reason must cite the requirement id that leaves the "
                        + "behaviour to the device");
            }
        }
        return new Entry(file, lineNo, c[0].strip(), c[1].strip(), c[2].strip(), c[3].strip(), verdict, reason);
    }

    /**
     * The first entry not yet taken that triages a mutant, or null: class given with its package, line text
     * already stripped. Each entry stands for one mutant; a line with two undetected mutants of the same
     * description (two comparisons on it, say) needs two entries.
     */
    public Entry find(String mutatedClass, String method, String lineText, String description, Set<Entry> taken) {
        String simple = mutatedClass.substring(mutatedClass.lastIndexOf('.') + 1);
        for (Entry e : entries) {
            if (!taken.contains(e) && e.matches(simple, method, lineText, description)) {
                return e;
            }
        }
        return null;
    }
}
