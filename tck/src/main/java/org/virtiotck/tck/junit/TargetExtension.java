package org.virtiotck.tck.junit;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;
import org.virtiotck.tck.driver.HarnessError;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;

/**
 * Gives every conformance test a fresh device and a {@link Tck} to work with, turns target faults into a
 * reopened target for the next test, and holds the harness to the strict device's driver rules.
 */
public final class TargetExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TargetExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        RunSettings.adopt(context::getConfigurationParameter);
        TckSession session = TckSession.get();
        session.beginTest();
        Optional<Blocked> blocked = session.blockerFor(needs(context.getRequiredTestClass(),
                context.getTestMethod().orElse(null)));
        if (blocked.isPresent()) {
            throw blocked.get();
        }
        Target target = session.freshTarget();
        context.getStore(NS).put(Tck.class, new Tck(target, context.getUniqueId()));
    }

    /** The prerequisites a test declares: its method's {@link Requires}, else its class's, else none. */
    static Set<Prerequisite> needs(Class<?> type, Method method) {
        Requires r = method == null ? null : method.getAnnotation(Requires.class);
        if (r == null) {
            r = type.getAnnotation(Requires.class);
        }
        Set<Prerequisite> all = EnumSet.noneOf(Prerequisite.class);
        if (r != null) {
            all.addAll(Arrays.asList(r.value()));
        }
        return all;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Tck tck = context.getStore(NS).get(Tck.class, Tck.class);
        if (tck == null) {
            return;
        }
        boolean onPurpose = context.getTestMethod().map(m -> m.isAnnotationPresent(BreaksDriverRules.class))
                .orElse(false) || context.getRequiredTestClass().isAnnotationPresent(BreaksDriverRules.class);
        if (onPurpose || context.getExecutionException().isPresent()) {
            return;
        }
        List<String> violations = tck.target().driverChecker().map(c -> c.violations()).orElse(List.of());
        if (!violations.isEmpty()) {
            TckSession.get().recordHarnessViolations(context.getUniqueId(), violations);
            throw new HarnessError("the careful harness broke driver rules: " + String.join("; ", violations));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Tck.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return extensionContext.getStore(NS).get(Tck.class, Tck.class);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        TckSession session = TckSession.get();
        if (throwable instanceof TargetFault) {
            session.markFaulted(throwable);
        }
        if (isWaived(session, context, throwable)) {
            // A known deviation: the build goes on, the listener reports WAIVED with the original verdict.
            session.recordWaived(context.getUniqueId(), throwable);
            return;
        }
        throw throwable;
    }

    private static boolean isWaived(TckSession session, ExtensionContext context, Throwable throwable) {
        Verdict verdict = ConformanceListener.classify(throwable);
        if (!verdict.isWaivable() || context.getTestMethod().isEmpty()) {
            return false;
        }
        // Per-invocation ids (a case of a table-driven suite) win over the method's union of ids.
        List<String> ids = session.runtimeIds(context.getUniqueId());
        if (ids == null) {
            Verifies verifies = context.getRequiredTestMethod().getAnnotation(Verifies.class);
            if (verifies == null) {
                return false;
            }
            ids = List.of(verifies.value());
        }
        TestOutcome probe = new TestOutcome(ConformanceListener.testId(context.getRequiredTestClass(),
                context.getRequiredTestMethod()), null, null, ids, verdict, null, null, null,
                null, null, null, 0, session.uri());
        return session.waivers().apply(probe).verdict() == Verdict.WAIVED;
    }
}
