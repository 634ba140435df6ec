package dev.sluice.runtime.operator;

import org.apache.kafka.streams.processor.TaskId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one {@link ArrivalSequence} per task that all processors of a three-way join number their
 * rows with ({@link ThreeWayInnerJoinProcessor}): one order of arrival across its three stores is
 * what puts the pairs of its first two inputs in the order the binary joins stored them. It is made
 * at the task's first record, from the stores as they are then (restored), and forgotten when the
 * first input's processor is initialised again (a restarted or revived task), which Kafka Streams
 * does for all of a task's processors before its first record.
 */
public final class JoinArrivals {
    private final Map<TaskId, ArrivalSequence> byTask = new ConcurrentHashMap<>();

    void forget(TaskId task) {
        byTask.remove(task);
    }

    ArrivalSequence of(TaskId task, Supplier<ArrivalSequence> open) {
        return byTask.computeIfAbsent(task, t -> open.get());
    }
}
