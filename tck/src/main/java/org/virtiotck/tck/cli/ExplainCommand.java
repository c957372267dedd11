package org.virtiotck.tck.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Explains one requirement: what it says, which tests check it, how to read a failure. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Explain a requirement id.")
final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A requirement id, e.g. mmio.dev.1")
    String id;

    @Override
    public Integer call() {
        RequirementRegistry registry = RequirementRegistry.load();
        Requirement r = registry.find(id).orElse(null);
        if (r == null) {
            System.err.println("virtio-tck: unknown requirement id '" + id + "' (try 'virtio-tck list requirements')");
            return Main.USAGE;
        }
        System.out.println(r.id() + " — VirtIO §" + r.section() + " " + r.title());
        System.out.println("  " + r.level().label() + " (" + r.actor().name().toLowerCase(java.util.Locale.ROOT)
                + "), since " + r.since() + ", testable from the driver side: " + r.testable());
        System.out.println("  " + r.summary());
        List<String> tests = SuiteCatalog.testsFor(r.id());
        System.out.println(tests.isEmpty() ? "  No test checks it yet." : "  Checked by:");
        tests.forEach(t -> System.out.println("    " + t));
        System.out.println("  A FAIL names what the requirement expects and what the device did; replay one test"
                + " with: virtio-tck certify --target URI --out DIR --test Suite#method");
        return Main.CERTIFIED;
    }
}
