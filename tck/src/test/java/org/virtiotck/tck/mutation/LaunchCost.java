package org.virtiotck.tck.mutation;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.virtiotck.tck.junit.RunSettings;

/**
 * What one test run costs in a mutation run, measured the way PIT's JUnit Platform plugin runs a test: a launcher
 * of its own per test, the test selected by its unique id. Three ways, in interleaved rounds in one warm JVM:
 * through the configuration suite ({@link ModernConfiguration}, as {@code bench/mutation} does), the same tests
 * selected directly in the Jupiter engine with a fresh device and smoke stage per test, and directly with the
 * device reset and the smoke stage measured once (the plain certify behaviour).
 *
 * <p>{@code bench/mutation --launch-cost} runs it with the mutation run's classpath and settings; figures in
 * docs/mutation.md.
 */
public final class LaunchCost {
    private LaunchCost() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        List<String> viaSuite = testIds(ModernConfiguration.class.getName());
        List<String> direct = new ArrayList<>();
        for (String id : viaSuite) {
            direct.add(id.substring(id.indexOf("[engine:junit-jupiter]")));
        }
        System.setProperty(RunSettings.TARGET, "reference");
        System.out.printf("%d tests of the modern configuration, each in a launcher of its own (ms per test)%n",
                viaSuite.size());
        System.out.printf("%-6s %14s %14s %14s%n", "round", "via suite", "direct", "direct, reset");
        for (int r = 1; r <= rounds; r++) {
            System.setProperty(RunSettings.REOPEN_EACH_TEST, "true");
            double suite = msPerTest(viaSuite);
            double fresh = msPerTest(direct);
            System.setProperty(RunSettings.REOPEN_EACH_TEST, "false");
            double reset = msPerTest(direct);
            System.out.printf("%-6d %14.1f %14.1f %14.1f%n", r, suite, fresh, reset);
        }
    }

    /** The unique ids of the tests a class selects (parameterized invocations appear only when run, so not here). */
    private static List<String> testIds(String className) {
        TestPlan plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(className)).build());
        List<String> ids = new ArrayList<>();
        plan.getRoots().forEach(root -> collect(plan, root, ids));
        return ids;
    }

    private static void collect(TestPlan plan, TestIdentifier node, List<String> ids) {
        if (node.isTest()) {
            ids.add(node.getUniqueId());
        }
        plan.getChildren(node).forEach(c -> collect(plan, c, ids));
    }

    private static double msPerTest(List<String> ids) {
        long start = System.nanoTime();
        long failed = 0;
        for (String id : ids) {
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectUniqueId(id)).build(), summary);
            failed += summary.getSummary().getTotalFailureCount();
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " tests failed on the unmutated device");
        }
        return (System.nanoTime() - start) / 1e6 / ids.size();
    }
}
