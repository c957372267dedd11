package org.virtiotck.tck.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A conformance suite: its tests get a fresh device from the selected target ({@code -Dvirtio.target=URI})
 * through a {@link Tck} parameter, and their results feed the traceability matrix and reports.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(TargetExtension.class)
@DisplayNameGeneration(RequirementDisplayNames.class)
@Tag("conformance")
public @interface VirtioSuite {
    /** The spec area the suite covers, e.g. "mmio" or "blk"; used to group results. */
    String value();
}
