package org.virtiotck.tck.junit;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.platform.engine.ConfigurationParameters;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.tck.spi.Targets;

/**
 * What one run of the suites was asked to do: the target, the waiver file, the certification level, the reports
 * directory, the seed and a fuzz report to chart.
 *
 * <p>They arrive as JUnit Platform configuration parameters: the CLI puts them on its launcher request, and a build
 * tool's {@code -Dvirtio.target=...} reaches the same keys because the platform falls back to system properties
 * (and to {@code junit-platform.properties}). {@link ConformanceListener} takes a snapshot when a test plan starts;
 * everything in the harness reads {@link #current()}, never a system property of its own.
 */
public record RunSettings(String targetUri, Optional<Path> waivers, CertificationLevel level,
                          Optional<Path> reportsDir, OptionalLong seed, Optional<Path> fuzzReport,
                          boolean reopenEachTest) {

    public static final String TARGET = Targets.TARGET_PROPERTY;
    public static final String WAIVERS = "virtio.waivers";
    public static final String LEVEL = "virtio.level";
    public static final String REPORTS_DIR = "virtio.reports.dir";
    public static final String SEED = "virtio.seed";
    public static final String FUZZ_REPORT = "virtio.fuzz.report";
    /**
     * Open the target afresh for every test instead of resetting it between tests (targets the kit can restart
     * only), and measure the smoke stage afresh for every test. For mutation testing: a device object built, or a
     * smoke stage measured, before a mutant was installed would hide the mutant or blame it for another's breakage.
     */
    public static final String REOPEN_EACH_TEST = "virtio.reopenEachTest";

    private static volatile RunSettings current;

    /** Reads the settings through {@code lookup} (a key to its value, if set). */
    static RunSettings from(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> set = k -> lookup.apply(k).map(String::strip).filter(v -> !v.isEmpty());
        String seed = set.apply(SEED).orElse(null);
        OptionalLong parsedSeed;
        try {
            parsedSeed = seed == null ? OptionalLong.empty() : OptionalLong.of(Long.decode(seed));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED + " must be a number: " + seed, e);
        }
        return new RunSettings(set.apply(TARGET).orElse(Targets.DEFAULT_TARGET),
                set.apply(WAIVERS).map(Path::of),
                CertificationLevel.parse(set.apply(LEVEL).orElse("full")),
                set.apply(REPORTS_DIR).map(Path::of),
                parsedSeed,
                set.apply(FUZZ_REPORT).map(Path::of),
                set.apply(REOPEN_EACH_TEST).map(Boolean::parseBoolean).orElse(false));
    }

    /** The settings of a run as the platform hands them to a listener or an extension. */
    public static RunSettings of(ConfigurationParameters parameters) {
        return from(parameters::get);
    }

    /** The settings from system properties alone (a launcher that did not register the kit's listener). */
    public static RunSettings fromSystemProperties() {
        return from(k -> Optional.ofNullable(System.getProperty(k)));
    }

    /** Makes these the settings of the run that is starting. */
    static void begin(RunSettings settings) {
        current = settings;
    }

    /**
     * Makes a test's own settings current when they differ from those of the run in progress. A launcher that
     * nests engines (the JUnit Platform suite engine, as in {@code bench/mutation}'s configuration suites) hands
     * each suite its own configuration parameters, e.g. another target; in a plain run a test's parameters are
     * the run's, and nothing changes.
     */
    static void adopt(Function<String, Optional<String>> testParameters) {
        RunSettings own = from(testParameters);
        if (!own.equals(current())) {
            begin(own);
        }
    }

    /** The run is over: later lookups fall back to system properties until the next run begins. */
    static void end() {
        current = null;
    }

    /** The settings of the run in progress (from system properties when no run announced its own). */
    public static RunSettings current() {
        RunSettings s = current;
        return s != null ? s : fromSystemProperties();
    }
}
