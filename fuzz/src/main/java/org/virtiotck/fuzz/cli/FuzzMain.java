package org.virtiotck.fuzz.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtiotck.fuzz.campaign.Campaign;
import org.virtiotck.fuzz.campaign.CampaignConfig;
import org.virtiotck.fuzz.campaign.FindingFile;
import org.virtiotck.fuzz.campaign.Merge;
import org.virtiotck.fuzz.campaign.Minimizer;
import org.virtiotck.fuzz.campaign.Triage;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.FuzzReport;
import org.virtiotck.reports.waiver.WaiverFile;
import org.virtiotck.reports.waiver.WaiverFileException;
import org.virtiotck.reports.waiver.Waivers;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.Targets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fuzz} — structure-aware fuzz campaigns against any TCK target, with the reference device as oracle.
 * Exit codes: 0 no findings, 1 findings (or a replay that still reproduces), 2 usage or harness error.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, versionProvider = FuzzMain.Version.class,
        subcommands = {FuzzMain.Run.class, FuzzMain.Replay.class, FuzzMain.Minimize.class, FuzzMain.MergeCmd.class},
        description = "Structure-aware fuzzing of virtio-mmio block devices with a differential reference oracle.")
public final class FuzzMain implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command (run, replay, minimize, merge)");
    }

    /**
     * Runs {@code fuzz ARGS} on its own and returns the exit code (for tests; users reach it as
     * {@code virtio-tck fuzz}, through {@link FuzzCliExtension} and the kit's one entry point).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new FuzzMain());
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("fuzz: " + ex.getMessage().lines().findFirst().orElse("usage error")
                    + " (see fuzz --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, pr) -> {
            err.println("fuzz: " + oneLine(ex));
            return USAGE;
        });
        return cl.execute(args);
    }

    /** The waivers of {@code file} (none when null); a file that cannot be read is a usage error. */
    static Waivers readWaivers(CommandLine.Model.CommandSpec spec, Path file) {
        try {
            return file == null ? Waivers.none() : WaiverFile.read(file, RequirementRegistry.load());
        } catch (WaiverFileException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), oneLine(e));
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.toString() : m).lines().findFirst().orElse(t.toString());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FuzzMain.class.getPackage().getImplementationVersion();
            return new String[] {"virtio-fuzz " + (v == null ? "dev" : v)};
        }
    }

    /** 10m, 60s, 1h, 500ms, 90 (seconds). */
    static Duration parseDuration(String s) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + s + "' (use e.g. 90s, 10m, 1h)");
        }
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "s" : m.group(2);
        return switch (u) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static long defaultSettle(String uri) {
        try {
            return TargetUri.parse(uri).scheme().equals("reference") ? 0 : 500;
        } catch (RuntimeException e) {
            return 500;
        }
    }

    static Target open(String uri) {
        return Targets.open(uri);
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a campaign.")
    static final class Run implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--target", required = true, description = "target URI, e.g. reference or qemu:...")
        String target;

        @Option(names = "--duration", description = "how long, e.g. 60s, 10m, 1h")
        String duration;

        @Option(names = "--execs", description = "how many executions in total")
        Long execs;

        @Option(names = "--seed", description = "campaign seed (default: random, printed)")
        Long seed;

        @Option(names = "--out", description = "report directory (default: fuzz-out)")
        Path out = Path.of("fuzz-out");

        @Option(names = "--jobs", description = "parallel jobs (default 1)")
        int jobs = 1;

        @Option(names = "--shard", description = "run shard i of n, as i/n (0-based)")
        String shard;

        @Option(names = "--settle-ms", description = "wait for an asynchronous target per notify (default 0 for "
                + "reference, 500 otherwise)")
        Long settle;

        @Option(names = "--progress-every", description = "period of plain progress lines (default 10s)")
        String progressEvery = "10s";

        @Option(names = "--waivers", description = "the suites' waiver file: complaints whose requirement ids it "
                + "all covers are counted as waived, not reported as findings")
        Path waivers;

        @Option(names = "--replays", description = "replays on a fresh target before a complaint is a finding "
                + "(default 3; one that does not fail every time is reported as flaky)")
        int replays = 3;

        @Option(names = "--history", description = "earlier programs (since the target's last hard reset) a job keeps "
                + "for the verifier, which replays them first when a complaint does not reproduce alone (default "
                + CampaignConfig.DEFAULT_HISTORY + ", 0 to " + CampaignConfig.MAX_HISTORY + ")")
        int history = CampaignConfig.DEFAULT_HISTORY;

        @Override
        public Integer call() {
            if ((duration == null) == (execs == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --duration and --execs");
            }
            if (jobs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
            }
            if (execs != null && execs < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--execs must be at least 1");
            }
            int si = 0;
            int sn = 1;
            if (shard != null) {
                Matcher m = Pattern.compile("(\\d+)/(\\d+)").matcher(shard.strip());
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1
                        || Integer.parseInt(m.group(1)) >= Integer.parseInt(m.group(2))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--shard must be i/n with 0 <= i < n, got '"
                            + shard + "'");
                }
                si = Integer.parseInt(m.group(1));
                sn = Integer.parseInt(m.group(2));
            }
            Duration d;
            Duration every;
            try {
                d = duration == null ? null : parseDuration(duration);
                every = parseDuration(progressEvery);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            try {
                Targets.provider(TargetUri.parse(target).scheme());
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), oneLine(e));
            }
            if (replays < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--replays must be at least 1");
            }
            if (history < 0 || history > CampaignConfig.MAX_HISTORY) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--history must be 0 to "
                        + CampaignConfig.MAX_HISTORY);
            }
            Waivers w = readWaivers(spec, waivers);
            long s = seed != null ? seed : new SecureRandom().nextLong() & Long.MAX_VALUE;
            PrintStream o = System.out;
            var console = System.console();
            boolean live = console != null && console.isTerminal() && System.getenv("CI") == null;
            CampaignConfig cfg = new CampaignConfig(target, null, d, execs, s, out, jobs, si, sn,
                    settle != null ? settle : defaultSettle(target), o, live, every, 3000, Duration.ofSeconds(30), w,
                    replays, history);
            o.println("[fuzz] target " + target + ", seed " + s + (sn > 1 ? ", shard " + si + "/" + sn : "")
                    + ", report " + out.resolve(FuzzReport.FILE_NAME));
            o.println("[fuzz] rerun this campaign: fuzz run --target '" + target + "' --seed " + s
                    + (execs != null ? " --execs " + execs : " --duration " + duration)
                    + (sn > 1 ? " --shard " + si + "/" + sn : "") + (jobs > 1 ? " --jobs " + jobs : "")
                    + (waivers != null ? " --waivers " + waivers : "")
                    + (replays != 3 ? " --replays " + replays : "")
                    + (history != CampaignConfig.DEFAULT_HISTORY ? " --history " + history : "")
                    + (jobs > 1 ? "  (deterministic with --jobs 1 and --execs)" : ""));
            Campaign c = new Campaign(cfg);
            Thread hook = new Thread(() -> {
                c.stop();
                c.writeReport(true);
            });
            Runtime.getRuntime().addShutdownHook(hook);
            Campaign.Result r = c.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
            if (r.harnessError() != null) {
                System.err.println("fuzz: " + r.harnessError());
                return USAGE;
            }
            o.println("[fuzz] " + r.report().execs() + " execs in " + r.report().durationMillis() / 1000.0 + " s ("
                    + Math.round(r.report().execsPerSecond()) + "/s), coverage " + r.report().coverage().features()
                    + ", " + r.report().findings().size() + " finding(s); report " + r.reportFile());
            o.println("[fuzz] " + Math.round(r.report().roundTripsPerExec()) + " round trips/exec, "
                    + r.report().flaky().size() + " flaky, " + r.report().waived().size() + " waived (known "
                    + "deviations), triage " + r.report().triageMillis() / 1000.0 + " s after the campaign");
            for (FuzzReport.FindingEntry f : r.report().findings()) {
                o.println("[fuzz]   " + f.id() + " " + f.severity() + " " + f.signature() + " " + f.requirementIds()
                        + ": replay with: " + f.replay());
            }
            return r.hasFindings() ? FINDINGS : OK;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay findings (a finding file, a program, or a whole report); a finding's prelude "
                    + "runs first on the same target.")
    static final class Replay implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", description = "finding/program/report JSON")
        Path file;

        @Option(names = "--waivers", description = "the suites' waiver file: a complaint whose requirement ids it all "
                + "covers (as in fuzz run) is printed WAIVED and not counted")
        Path waivers;

        @Option(names = "--target", required = true)
        String target;

        @Option(names = "--settle-ms")
        Long settle;

        @Option(names = "--verbose", description = "print the program and both observations")
        boolean verbose;

        @Override
        public Integer call() throws IOException {
            Waivers w = readWaivers(spec, waivers);
            PrintWriter out = spec.commandLine().getOut();
            List<FindingFile> fs = FindingFile.readAny(file);
            int reproduced = 0;
            try (Harness h = Harness.forTarget(open(target), target, settle != null ? settle : defaultSettle(target))) {
                for (FindingFile f : fs) {
                    if (!f.prelude().isEmpty()) {
                        out.println("prelude: " + f.prelude().size() + " program(s) run first on the same target ("
                                + f.id() + ")");
                    }
                    Complaint v = new Minimizer(h, 0, Duration.ZERO, f.prelude()).replay(f.program());
                    if (v != null) {
                        String waived = Triage.waivedBy(v, w);
                        reproduced += waived == null ? 1 : 0;
                        boolean same = f.signature() == null || f.signature().equals(v.signature());
                        out.println((waived == null ? "" : "WAIVED ")
                                + (same ? "REPRODUCED " : "DIFFERENT FINDING ") + f.id() + ": " + v.signature() + ": "
                                + v.summary() + (waived == null ? "" : " (waiver: " + waived + ")"));
                    } else {
                        out.println("not reproduced " + f.id() + (f.signature() == null ? "" : " ("
                                + f.signature() + ")"));
                    }
                    if (verbose) {
                        out.println(f.program().describe());
                        out.println("reference:\n" + h.referenceObservation().describe());
                        out.println("target:\n" + h.targetObservation().describe());
                    }
                }
            }
            return reproduced > 0 ? FINDINGS : OK;
        }
    }

    @Command(name = "minimize", mixinStandardHelpOptions = true,
            description = "Minimize findings again (e.g. against another target build); a prelude runs "
                    + "before each attempt and is kept as it is.")
    static final class Minimize implements Callable<Integer> {
        @Parameters(index = "0")
        Path file;

        @Option(names = "--target", required = true)
        String target;

        @Option(names = "--out", description = "where to write the minimized finding(s) (default: <file>.min.json)")
        Path out;

        @Option(names = "--runs", description = "run budget (default 5000)")
        int runs = 5000;

        @Option(names = "--settle-ms")
        Long settle;

        @Override
        public Integer call() throws IOException {
            List<FindingFile> fs = FindingFile.readAny(file);
            List<FindingFile> result = new ArrayList<>();
            try (Harness h = Harness.forTarget(open(target), target, settle != null ? settle : defaultSettle(target))) {
                for (FindingFile f : fs) {
                    Minimizer m = new Minimizer(h, runs, Duration.ofMinutes(2), f.prelude());
                    String sig = f.signature();
                    if (sig == null) {
                        Complaint v = m.replay(f.program());
                        if (v == null) {
                            System.out.println("not reproduced " + f.id());
                            continue;
                        }
                        sig = v.signature();
                    }
                    Minimizer.Result r = m.minimize(f.program(), sig);
                    System.out.println((r.reproduced() ? "minimized " : "not reproduced ") + f.id() + ": "
                            + f.program().size() + " -> " + r.program().size() + " ops (" + r.runs() + " runs)");
                    if (r.reproduced()) {
                        result.add(new FindingFile(FindingFile.SCHEMA, f.id(), target, sig, r.complaint().kind().name(),
                                r.complaint().summary(), r.program(), f.prelude()));
                    }
                }
            }
            if (result.isEmpty()) {
                return OK;
            }
            Path dst = out != null ? out : file.resolveSibling(file.getFileName().toString().replaceFirst(
                    "\\.json$", "") + ".min.json");
            AtomicFiles.write(dst, result.size() == 1 ? result.get(0).toJson()
                    : FuzzReport.MAPPER.writeValueAsBytes(result.get(0)));
            System.out.println("written " + dst);
            return FINDINGS;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge the reports of several shards or runs.")
    static final class MergeCmd implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "report directories or files")
        List<Path> inputs;

        @Option(names = "--out", required = true, description = "output directory")
        Path out;

        @Override
        public Integer call() throws IOException {
            FuzzReport merged = Merge.mergeFiles(inputs);
            Files.createDirectories(out);
            merged.write(out.resolve(FuzzReport.FILE_NAME));
            System.out.println("[fuzz] merged " + inputs.size() + " report(s): " + merged.execs() + " execs, "
                    + merged.findings().size() + " finding(s) -> " + out.resolve(FuzzReport.FILE_NAME));
            return merged.findings().isEmpty() ? OK : FINDINGS;
        }
    }
}
