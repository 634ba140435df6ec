/**
 * The aggregate functions and their accumulators.
 *
 * <p>How an operator uses them:
 * <ol>
 *   <li>{@link dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry#lookup} the call's name,
 *       {@code returnType(arguments)} at analysis (throws a FunctionException naming function and types),
 *       {@code implement(arguments, returnType, sortDescending)} once when the topology is built.</li>
 *   <li>{@code agg(DISTINCT ...)}: wrap that factory in
 *       {@link dev.sluice.runtime.function.aggregate.DistinctAccumulatorFactory}.</li>
 *   <li>Aggregating a changelog (a table): use
 *       {@link dev.sluice.runtime.function.aggregate.AggregateFunctionRegistry#implementForChangelog}, which
 *       picks the retracting variant of MIN/MAX; check {@code canRetract()} for the others
 *       (APPROX_PERCENTILE, APPROX_COUNT_DISTINCT, FIRST/LAST and *_BY_OFFSET cannot).</li>
 *   <li>Per record: {@code add(nonConstantArgumentValues, eventTime)}; session merges: {@code earlier.merge(later)};
 *       state: {@code write} / {@code factory.read}.</li>
 * </ol>
 * Arguments that are constants (COUNT(1), the 0.95 of a percentile) are never passed to {@code add};
 * accumulators put them back themselves.
 */
package dev.sluice.runtime.function.aggregate;
