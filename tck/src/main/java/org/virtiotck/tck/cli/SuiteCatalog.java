package org.virtiotck.tck.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/** What the suites contain, discovered the same way a run would discover them. */
final class SuiteCatalog {
    private SuiteCatalog() {}

    record Suite(String name, String area, int tests) {}

    private static List<Method> methods() {
        TestPlan plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("org.virtiotck.tck.suites")).build());
        List<Method> out = new ArrayList<>();
        collect(plan, plan.getRoots(), out);
        return out;
    }

    private static void collect(TestPlan plan, java.util.Set<TestIdentifier> ids, List<Method> out) {
        for (TestIdentifier id : ids) {
            if (id.getSource().orElse(null) instanceof MethodSource ms && !out.contains(ms.getJavaMethod())) {
                out.add(ms.getJavaMethod());
            }
            collect(plan, plan.getChildren(id), out);
        }
    }

    static List<Suite> suites() {
        Map<String, Suite> byClass = new TreeMap<>();
        for (Method m : methods()) {
            Class<?> c = m.getDeclaringClass();
            VirtioSuite s = c.getAnnotation(VirtioSuite.class);
            Suite prev = byClass.get(c.getSimpleName());
            byClass.put(c.getSimpleName(), new Suite(c.getSimpleName(), s == null ? "" : s.value(),
                    prev == null ? 1 : prev.tests() + 1));
        }
        return List.copyOf(byClass.values());
    }

    static List<String> testsFor(String id) {
        List<String> out = new ArrayList<>();
        for (Method m : methods()) {
            Verifies v = m.getAnnotation(Verifies.class);
            if (v != null && Arrays.asList(v.value()).contains(id)) {
                out.add(m.getDeclaringClass().getSimpleName() + "#" + m.getName());
            }
        }
        return out;
    }
}
