package org.virtiotck.tck.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.cert.Certification;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.cert.CertificationResult;
import org.virtiotck.reports.html.FuzzSummary;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.RootCause;
import org.virtiotck.reports.waiver.WaiverFile;
import org.virtiotck.reports.waiver.WaiverFileException;
import org.virtiotck.tck.junit.TckSession;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the conformance suites against one target through the JUnit Platform launcher and writes the reports. */
@Command(name = "certify", mixinStandardHelpOptions = true,
        description = "Run the conformance suites against a target and write the reports into --out.")
final class CertifyCommand implements Callable<Integer> {

    @Option(names = "--target", defaultValue = "reference", description = "Target URI (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--out", required = true, description = "Directory for run-report.json and the matrix.")
    Path out;

    @Option(names = "--seed", description = "Seed for the property-based suites (printed on failure).")
    Long seed;

    @Option(names = "--level", defaultValue = "required",
            description = "required | recommended | full: which requirements must pass (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--fuzz-report", description = "A fuzz campaign's fuzz-report.json to chart in report.html.")
    Path fuzzReport;

    @Option(names = "--waivers", description = "Waiver file of known deviations: their failures count as WAIVED.")
    Path waivers;

    @Option(names = "--test", description = "Only this suite class or Class#method (for replaying one test).")
    String test;

    @Override
    public Integer call() throws IOException, WaiverFileException {
        if (waivers != null) {
            WaiverFile.read(waivers, RequirementRegistry.load()); // a bad file is a usage error (exit 2) up front
            System.setProperty(TckSession.WAIVERS_PROPERTY, waivers.toAbsolutePath().toString());
        }
        CertificationLevel certLevel = CertificationLevel.parse(level);
        if (fuzzReport != null) {
            FuzzSummary.fromFuzzReport(fuzzReport); // a bad file is a usage error (exit 2) up front
            System.setProperty("virtio.fuzz.report", fuzzReport.toAbsolutePath().toString());
        }
        System.setProperty("virtio.level", certLevel.name());
        // Open the target once up front so a bad URI or a target that cannot start exits 2 at once.
        try (Target t = Targets.open(target)) {
            t.info();
        }
        Files.createDirectories(out);
        System.setProperty(Targets.TARGET_PROPERTY, target);
        System.setProperty("virtio.reports.dir", out.toString());
        if (seed != null) {
            System.setProperty("virtio.seed", Long.toString(seed));
        }
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        if (test == null) {
            request.selectors(selectPackage("org.virtiotck.tck.suites"));
        } else {
            request.selectors(TestSelection.parse(test));
        }
        LauncherDiscoveryRequest discovery = request
                .configurationParameter("junit.platform.output.capture.stdout", "false")
                .build();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(discovery, ProgressListener.forConsole());
        Path report = out.resolve("run-report.json");
        if (!Files.exists(report)) {
            System.err.println("virtio-tck: no conformance test ran (nothing matched '" + test + "')");
            return Main.USAGE;
        }
        RunReport result = RunReport.read(report);
        CertificationResult verdict = Certification.evaluate(result, RequirementRegistry.load(), certLevel);
        for (RootCause cause : RootCause.of(result.outcomes())) {
            System.out.println("root cause: " + cause.blocker() + " failed (" + cause.blocked().size()
                    + " tests BLOCKED): " + cause.failure());
        }
        System.out.println(verdict.summary() + "; reports in " + out);
        int bad = verdict.certified() ? 0 : 1;
        return bad == 0 ? Main.CERTIFIED : Main.NOT_CERTIFIED;
    }
}
