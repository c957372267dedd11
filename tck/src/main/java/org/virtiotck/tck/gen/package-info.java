/**
 * A small property-based testing engine with seeded, recorded generation and integrated shrinking.
 *
 * <ul>
 *   <li>{@link org.virtiotck.tck.gen.Gen}: generators and combinators, drawing every decision from a
 *       {@link org.virtiotck.tck.gen.Source};</li>
 *   <li>{@link org.virtiotck.tck.gen.Source}: seeded random choices, recorded as a
 *       {@link org.virtiotck.tck.gen.ChoiceSequence} (replayable, serializable);</li>
 *   <li>{@link org.virtiotck.tck.gen.Shrinker}: minimizes a failing choice sequence, hence any generated value;</li>
 *   <li>{@link org.virtiotck.tck.gen.DeltaDebugging}: ddmin over plain lists (program minimization);</li>
 *   <li>{@link org.virtiotck.tck.gen.Property}: the runner, with seed/replay reporting for JUnit.</li>
 * </ul>
 */
package org.virtiotck.tck.gen;
