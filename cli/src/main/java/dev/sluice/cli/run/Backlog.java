package dev.sluice.cli.run;

import java.util.Map;

/**
 * What an application has not processed yet, measured on the cluster rather than from client
 * metrics: for every partition the application consumes (source topics and its own repartition
 * topics), the records between the consumer group's committed offset and the partition's end.
 *
 * <p>{@code drained} is the bounded run's stop condition: every partition is committed to its end
 * (nothing left but transaction markers), the ends did not move while they were measured, and no
 * transaction of the application is open. Only then has every input record gone through every
 * sub-topology with its results committed.
 *
 * @param unprocessed records not yet processed and committed, summed over the partitions
 * @param perTopic    the same, per topic (topics with nothing left are absent)
 * @param openTransactions transactions of the application still open on the cluster
 * @param drained     nothing left, nothing in flight
 */
public record Backlog(long unprocessed, Map<String, Long> perTopic, int openTransactions, boolean drained) {
    public Backlog {
        perTopic = Map.copyOf(perTopic);
    }

    /** Before anything could be measured (the cluster did not answer). */
    public static Backlog unknown() {
        return new Backlog(-1, Map.of(), 0, false);
    }

    public boolean known() {
        return unprocessed >= 0;
    }
}
