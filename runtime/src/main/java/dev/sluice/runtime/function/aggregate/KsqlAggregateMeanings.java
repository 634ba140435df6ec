package dev.sluice.runtime.function.aggregate;

import dev.sluice.runtime.function.AggregateFunction;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Aggregates whose result differs in ksqlDB's dialect under the same name: ksqlDB's SUM starts at 0
 * and its AVG maps a zero count to 0.0, so a group without a non-NULL value gives 0 there, NULL in
 * Flink; ksqlDB's STDDEV_SAMP is the sample variance (0.0 below two values), kept with ksqlDB's own
 * recurrence so that it matches to the last digit ({@link KsqlStddevSampleFunction#ksqlStddevSamp}).
 * SUM's and AVG's accumulators and stored form are the built-in ones; only the result differs.
 */
public final class KsqlAggregateMeanings {
    private static final Map<String, AggregateFunction> BY_NAME = Map.of(
            "SUM", SumFunction.ksql(), "AVG", AvgFunction.ksql(), "STDDEV_SAMP", KsqlStddevSampleFunction.ksqlStddevSamp());

    private KsqlAggregateMeanings() {
    }

    /** ksqlDB's meaning of the aggregate {@code name}, when it differs from the built-in one. */
    public static Optional<AggregateFunction> of(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toUpperCase(Locale.ROOT)));
    }
}
