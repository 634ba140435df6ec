package dev.sluice.runtime.operator;

import java.util.List;

/**
 * {@link SessionDistinctValues}' word on one record of a session window aggregate with DISTINCT
 * calls: which calls see a value new to the record's (merged) session ({@code firstOccurrences},
 * bit i for call i), and, when the record merges sessions, the values that more than one of them
 * held ({@code duplicates}, one entry per extra copy, per call). Kafka Streams' merger adds the
 * sessions' accumulators, which counts such a value once per session; {@link Aggregation}
 * retracts the extra copies before it adds the record, so each value counts once in the merged
 * session, as in a set.
 *
 * <p>Never serialized: it lives only between {@link SessionDistinctValues} and the aggregate,
 * which run in the same sub-topology with no repartition between them.
 *
 * @param duplicates per call index (the aggregate's call order), the argument values to retract;
 *                   an empty list for calls without any
 */
public record SessionMarks(long firstOccurrences, List<List<Object[]>> duplicates) {
    public SessionMarks {
        duplicates = List.copyOf(duplicates);
    }

    /** The values of call {@code call} to retract once each (a value may appear several times). */
    public List<Object[]> duplicates(int call) {
        return call < duplicates.size() ? duplicates.get(call) : List.of();
    }

    @Override
    public String toString() {
        StringBuilder dup = new StringBuilder();
        for (int i = 0; i < duplicates.size(); i++) {
            if (!duplicates.get(i).isEmpty()) {
                dup.append(' ').append(i).append(':').append(duplicates.get(i).stream()
                        .map(java.util.Arrays::toString).toList());
            }
        }
        return "SessionMarks[" + Long.toBinaryString(firstOccurrences) + dup + "]";
    }
}
