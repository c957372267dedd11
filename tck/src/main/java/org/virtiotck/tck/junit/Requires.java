package org.virtiotck.tck.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a suite (on its class) or a test (on its method; it replaces the class's declaration) needs from the
 * device before its verdict means anything. When the smoke stage found one of these (or one it is built on)
 * broken, the test is reported BLOCKED instead of being run. A test that checks a prerequisite itself (the
 * identification tests, feature negotiation, reset) declares nothing, so it still runs and fails with its own id.
 * {@code @Requires({})} on a method clears the class's declaration.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Requires {
    Prerequisite[] value();
}
