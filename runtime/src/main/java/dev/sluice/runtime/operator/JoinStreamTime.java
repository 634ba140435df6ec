package dev.sluice.runtime.operator;

import org.apache.kafka.streams.processor.TaskId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream time of one join, per task: the largest timestamp either side has brought to it.
 * Both sides' processors of a regular join share one, as the interval join's late guards share
 * theirs, so that a side's rows expire by the time that decides which records are late. It lives
 * on the heap and starts again after a restart: a lower time only expires less.
 */
public final class JoinStreamTime {
    private final Map<TaskId, AtomicLong> byTask = new ConcurrentHashMap<>();

    AtomicLong of(TaskId task) {
        return byTask.computeIfAbsent(task, t -> new AtomicLong(Long.MIN_VALUE));
    }
}
